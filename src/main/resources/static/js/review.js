// The review page: a waiting layer's kernels, one row each with its activation maps under the
// sample images and its scores; the person marks kernels to remove and submits the choice.
import { ensureAccess } from "./access.js";
import { ApiError, getJson, postJson } from "./api.js";
import { h } from "./dom.js";
import { count, percent, shortId } from "./format.js";
import { classLabels, headRow, kernelRow, loadImages, scoreRanges, sheet } from "./review-grid.js";
import { followAfterSubmit } from "./review-progress.js";

const $ = (id) => document.getElementById(id);
const jobId = new URLSearchParams(location.search).get("job");

const state = {
  review: null,
  marked: new Set(),
  sort: { key: "index", direction: 1 },
  focused: null,
  submitting: false,
};

async function main() {
  await ensureAccess($("content"));
  if (!jobId) {
    status("No job given: open this page from a job on the dashboard.", "error");
    return;
  }
  $("crumb-job").replaceChildren(h("a", { href: `/#job=${jobId}` }, `Job ${shortId(jobId)}`));
  $("back-link").href = `/#job=${jobId}`;
  await load();
}

/** Loads the waiting layer, or waits for the job to reach one. */
async function load() {
  try {
    state.review = await getJson(`/api/v1/jobs/${jobId}/review`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const job = await getJson(`/api/v1/jobs/${jobId}`);
      status(`This job is ${job.state.toLowerCase().replace("_", " ")}: it is not waiting for a choice of kernels. This page opens the review when it is.`, "info");
      if (!["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.state)) setTimeout(load, 2000);
      return;
    }
    status(`Could not load the review: ${error.message}`, "error");
    return;
  }
  $("status").hidden = true;
  render();
}

function status(text, kind) {
  const element = $("status");
  element.textContent = text;
  element.className = `callout ${kind}`;
  element.hidden = false;
}

function render() {
  const review = state.review;
  const samples = review.samples.length;
  const classes = new Set(review.samples.map((s) => s.label)).size;
  $("layer-name").textContent = review.layer;
  $("layer-info").textContent = `Layer ${review.layerIndex + 1} of ${review.layers} · ${review.kernels.length} kernels · ${samples} sample images from ${classes} classes`;
  $("color-map").textContent = review.colorMap;
  $("color-scale").textContent = `Scale: ${review.colorScale}.`;
  $("activation-point").textContent = review.activationPoint ? `Maps taken at: ${review.activationPoint}.` : "";
  showMembers(review);
  document.title = `Review ${review.layer} · CNN Simplifier`;

  // Every sheet is drawn at the same width, so the kernel maps line up under the inputs. By
  // default the maps take the room the other columns leave; the slider makes them larger.
  const zoom = $("zoom");
  zoom.value = 40;
  const resize = () => {
    document.documentElement.style.setProperty("--sheet-width", `${zoom.value * samples}px`);
    document.documentElement.style.setProperty("--cell", `${zoom.value}px`);
  };
  zoom.addEventListener("input", resize);
  resize();

  $("grid-head").replaceChildren(...headRow(sortBy));
  $("inputs-cell").replaceChildren(sheet(review.inputsUrl, `The ${samples} sample images`), classLabels(review.samples));
  const ranges = scoreRanges(review);
  $("kernels").replaceChildren(...review.kernels.map((kernel) => kernelRow(kernel, review, ranges)));
  const suggested = review.suggestion.kernels;
  $("accept-suggestion").textContent = `Accept suggestion (${suggested.length})`;
  $("accept-suggestion").title = `Suggested by ${review.suggestion.by}: kernels ${suggested.join(", ")}`;
  $("suggestion-note").textContent = `The suggestion (${review.suggestion.by}) removes ${suggested.length ? "kernels " + suggested.join(", ") : "nothing"}.`;
  $("accept-suggestion").onclick = () => {
    state.marked = new Set(suggested);
    update();
  };
  $("clear-selection").onclick = () => {
    state.marked.clear();
    update();
  };
  $("submit").onclick = confirmChoice;
  $("kernels").addEventListener("click", onRowClick);
  $("kernels").addEventListener("keydown", onKey);
  document.addEventListener("keydown", onPageKey);
  $("confirm").addEventListener("close", onConfirmClosed);
  $("review").hidden = false;
  fitMaps(samples);
  sortRows();
  setFocus(sortedKernels()[0].index, false);
  update();
  loadImages();
}

/**
 * A coupled group (layers meeting in a residual add) loses the same kernels in every member: its
 * kernels are listed once, and the maps of any member can be shown.
 */
function showMembers(review) {
  const members = review.members || [];
  if (members.length < 2) return;
  $("layer-info").textContent += ` · group of ${members.length} layers: ${members.map((m) => m.name).join(", ")}`;
  const select = $("member");
  select.replaceChildren(...members.map((m, i) => h("option", { value: String(i) }, m.name)));
  select.onchange = () => {
    const m = Number(select.value);
    $("activation-point").textContent = `Maps of ${members[m].name}, taken at: ${members[m].activationPoint}.`;
    for (const kernel of review.kernels) {
      const img = document.querySelector(`tr[data-kernel="${kernel.index}"] img.sheet`);
      if (!img) continue;
      img.dataset.src = kernel.memberSheetUrls[m];
      img.classList.add("loading");
    }
    loadImages(document.querySelectorAll("#kernels img.sheet"));
  };
  $("member-choice").hidden = false;
}

/** Sizes the maps so that the whole grid fits the page's width, within reason. */
function fitMaps(samples) {
  const table = $("kernel-grid");
  const zoom = $("zoom");
  table.style.width = "auto";
  const others = table.offsetWidth - zoom.value * samples;
  table.style.width = "";
  const room = table.parentElement.clientWidth - others - 16;
  zoom.value = Math.max(22, Math.min(96, Math.floor(room / samples)));
  zoom.dispatchEvent(new Event("input"));
}

function sortedKernels() {
  const { key, direction } = state.sort;
  const value = (k) => (key === "index" ? k.index : k.scores[key]);
  return [...state.review.kernels].sort((a, b) => direction * (value(a) - value(b)) || a.index - b.index);
}

function sortBy(key) {
  state.sort = { key, direction: state.sort.key === key ? -state.sort.direction : 1 };
  sortRows();
  if (state.focused !== null) setFocus(state.focused, false);
}

function sortRows() {
  const body = $("kernels");
  for (const kernel of sortedKernels()) body.append(rowOf(kernel.index));
  document.querySelectorAll("#grid-head th[data-sort]").forEach((th) => {
    const on = th.dataset.sort === state.sort.key;
    th.setAttribute("aria-sort", on ? (state.sort.direction > 0 ? "ascending" : "descending") : "none");
  });
}

const rowOf = (index) => document.querySelector(`#kernels tr[data-kernel="${index}"]`);

function toggle(index) {
  if (state.submitting) return;
  if (state.marked.has(index)) state.marked.delete(index);
  else state.marked.add(index);
  update();
}

function setFocus(index, move = true) {
  state.focused = index;
  document.querySelectorAll("#kernels button.toggle").forEach((b) => b.setAttribute("tabindex", "-1"));
  const button = rowOf(index)?.querySelector("button.toggle");
  if (!button) return;
  button.setAttribute("tabindex", "0");
  if (move) {
    button.focus();
    button.closest("tr").scrollIntoView({ block: "nearest" });
  }
}

function onRowClick(event) {
  const row = event.target.closest("tr[data-kernel]");
  if (!row) return;
  const index = Number(row.dataset.kernel);
  toggle(index);
  setFocus(index);
}

function onKey(event) {
  const row = event.target.closest("tr[data-kernel]");
  if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
  const order = sortedKernels().map((k) => k.index);
  const at = order.indexOf(Number(row.dataset.kernel));
  const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -order.length, End: order.length };
  if (event.key in moves) {
    event.preventDefault();
    setFocus(order[Math.max(0, Math.min(order.length - 1, at + moves[event.key]))]);
  } else if (event.key === "x" || event.key === "X") {
    event.preventDefault();
    toggle(order[at]);
  } else if (event.key === "Enter") {
    // Not the button's own click: Enter submits the whole choice, after a confirmation.
    event.preventDefault();
    confirmChoice();
  }
}

/** j, k or an arrow anywhere on the page brings the focus to the grid. */
function onPageKey(event) {
  if (event.target !== document.body || $("confirm").open) return;
  if (["j", "k", "ArrowDown", "ArrowUp"].includes(event.key)) {
    event.preventDefault();
    setFocus(state.focused ?? sortedKernels()[0].index);
  }
}

/** Marks, counts and the submit button after every change of the choice. */
function update() {
  const review = state.review;
  const n = state.marked.size;
  const total = review.kernels.length;
  for (const kernel of review.kernels) {
    const row = rowOf(kernel.index);
    const on = state.marked.has(kernel.index);
    row.classList.toggle("marked", on);
    row.querySelector("button.toggle").setAttribute("aria-pressed", on ? "true" : "false");
  }
  const params = n * review.perKernel.params;
  const flops = n * review.perKernel.flops;
  $("marked-count").textContent = `${n} of ${total}`;
  $("marked-label").textContent = "kernels marked";
  $("params-saved").textContent = n ? `−${count(params)}` : "0";
  $("flops-saved").textContent = n ? `−${count(flops)}` : "0";
  $("params-share").textContent = `(${percent(params / review.model.params)} of the model)`;
  $("flops-share").textContent = `(${percent(flops / review.model.flops)} of the model)`;
  const all = n >= total;
  const submit = $("submit");
  submit.disabled = all || state.submitting;
  submit.textContent = n === 0 ? "Keep all and continue" : `Remove ${n} kernel${n === 1 ? "" : "s"} and continue`;
  $("submit-error").textContent = all ? `Keep at least one kernel: all ${total} are marked.` : "";
  const suggested = [...review.suggestion.kernels].sort((a, b) => a - b).join();
  $("accept-suggestion").setAttribute("aria-pressed", [...state.marked].sort((a, b) => a - b).join() === suggested ? "true" : "false");
}

function confirmChoice() {
  const review = state.review;
  const n = state.marked.size;
  if (state.submitting || n >= review.kernels.length) {
    if (n >= review.kernels.length) $("submit-error").textContent = `Keep at least one kernel: all ${n} are marked.`;
    return;
  }
  const kernels = [...state.marked].sort((a, b) => a - b);
  $("confirm-title").textContent = n === 0 ? "Keep every kernel?" : `Remove ${n} kernel${n === 1 ? "" : "s"} from ${review.layer}?`;
  $("confirm-text").textContent =
    n === 0
      ? `Nothing is removed from ${review.layer}; the job goes on to the next layer.`
      : `Kernels ${kernels.join(", ")} go (${n} of ${review.kernels.length}). That saves ${count(n * review.perKernel.params)} parameters and ${count(n * review.perKernel.flops)} FLOPs per image. The job then retrains and goes on.`;
  $("confirm").returnValue = "";
  $("confirm").showModal();
}

async function onConfirmClosed() {
  if ($("confirm").returnValue !== "ok") {
    if (state.focused !== null) setFocus(state.focused);
    return;
  }
  state.submitting = true;
  update();
  const kernels = [...state.marked].sort((a, b) => a - b);
  try {
    const job = await postJson(`/api/v1/jobs/${jobId}/review`, { kernels });
    $("review").hidden = true;
    followAfterSubmit($("after-submit"), job, state.review.layer, kernels);
  } catch (error) {
    state.submitting = false;
    update();
    $("submit-error").textContent = `Not submitted: ${error.message}`;
  }
}

main().catch((error) => status(`The page could not start: ${error.message}`, "error"));
