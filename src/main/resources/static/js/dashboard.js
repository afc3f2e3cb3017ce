// The jobs dashboard: a page of jobs kept live by their event streams, and the selected job's
// layers, activity and downloads.
import { ensureAccess } from "./access.js";
import { followJobEvents, getJson, request } from "./api.js";
import { h } from "./dom.js";
import { ago, duration, isTerminal, shortId } from "./format.js";
import { jobDetail } from "./job-detail.js";
import { progressBar, stateBadge } from "./widgets.js";

const PAGE_SIZE = 20;
// Browsers open at most six connections to one server over HTTP/1.1: streams leave room for requests.
const MAX_STREAMS = 4;

const state = {
  page: 0,
  total: 0,
  filter: "",
  jobs: new Map(),
  order: [],
  selected: null,
  streams: new Map(),
  activity: new Map(),
  names: new Map(),
  reports: new Map(),
};

const $ = (id) => document.getElementById(id);

async function main() {
  await ensureAccess($("content"));
  state.selected = new URLSearchParams(location.hash.slice(1)).get("job");
  $("state-filter").addEventListener("change", (e) => {
    state.filter = e.target.value;
    state.page = 0;
    loadJobs();
  });
  $("refresh").addEventListener("click", () => loadJobs());
  $("prev-page").addEventListener("click", () => {
    state.page = Math.max(0, state.page - 1);
    loadJobs();
  });
  $("next-page").addEventListener("click", () => {
    state.page++;
    loadJobs();
  });
  window.addEventListener("hashchange", () => {
    const id = new URLSearchParams(location.hash.slice(1)).get("job");
    if (id && id !== state.selected) select(id);
  });
  loadNames();
  await loadJobs();
  if (state.selected) select(state.selected);
  schedulePolling();
}

/** Model and data-set names, so a job reads "fashion-cnn.zip" instead of a UUID. */
async function loadNames() {
  for (const kind of ["models", "datasets"]) {
    try {
      const page = await getJson(`/api/v1/${kind}?size=100`);
      for (const item of page.items) state.names.set(item.id, item.name);
    } catch {
      // Names are a nicety; ids still identify everything.
    }
  }
  renderJobs();
}

async function loadJobs() {
  const query = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
  if (state.filter) query.set("state", state.filter);
  try {
    const list = await getJson(`/api/v1/jobs?${query}`);
    state.total = list.total;
    state.order = list.items.map((job) => job.id);
    for (const job of list.items) state.jobs.set(job.id, job);
    $("jobs-error").textContent = "";
  } catch (error) {
    $("jobs-error").textContent = `Could not load the jobs: ${error.message}`;
  }
  renderJobs();
  followActiveJobs();
  if (state.selected && state.jobs.has(state.selected)) renderDetail();
}

/** Polls the list for new jobs; faster while some active job has no stream of its own. */
function schedulePolling() {
  const unfollowed = state.order.some((id) => !isTerminal(state.jobs.get(id)?.state) && !state.streams.has(id));
  setTimeout(async () => {
    await loadJobs();
    schedulePolling();
  }, unfollowed ? 4000 : 15000);
}

/** Streams for the selected job and the first active ones, up to MAX_STREAMS. */
function followActiveJobs() {
  const wanted = [];
  if (state.selected) wanted.push(state.selected);
  for (const id of state.order) {
    if (wanted.length >= MAX_STREAMS) break;
    if (!wanted.includes(id) && !isTerminal(state.jobs.get(id)?.state)) wanted.push(id);
  }
  for (const [id, stream] of state.streams) {
    if (!wanted.includes(id)) {
      stream.close();
      state.streams.delete(id);
    }
  }
  for (const id of wanted) {
    if (state.streams.has(id)) continue;
    const job = state.jobs.get(id);
    if (job && isTerminal(job.state) && state.activity.has(id)) continue;
    state.activity.set(id, []);
    const stream = followJobEvents(id, {
      onEvent: (event) => {
        state.activity.get(id)?.push(event);
        refreshSoon(id);
      },
      onState: (phase) => {
        if (phase === "closed") state.streams.delete(id);
        const row = document.querySelector(`tr[data-job-id="${id}"]`);
        if (row) row.dataset.stream = phase;
      },
    });
    state.streams.set(id, stream);
  }
}

const pending = new Map();

/** Reads the job again shortly after its events: a burst of events costs one request. */
function refreshSoon(id) {
  if (pending.has(id)) return;
  pending.set(
    id,
    setTimeout(async () => {
      pending.delete(id);
      try {
        const job = await getJson(`/api/v1/jobs/${id}`);
        const before = state.jobs.get(id);
        state.jobs.set(id, job);
        // A replay brings many events about a job that has not changed: its row stays as it is.
        if (JSON.stringify(before) !== JSON.stringify(job)) renderRow(job);
        if (id === state.selected) renderDetail();
      } catch {
        // The next poll tries again.
      }
    }, 250),
  );
}

function renderJobs() {
  const body = $("jobs");
  body.replaceChildren(...state.order.map((id) => row(state.jobs.get(id))));
  $("jobs-empty").hidden = state.order.length > 0;
  const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
  $("page-info").textContent = `Page ${state.page + 1} of ${pages} · ${state.total} jobs`;
  $("prev-page").disabled = state.page === 0;
  $("next-page").disabled = state.page + 1 >= pages;
}

function renderRow(job) {
  const old = document.querySelector(`tr[data-job-id="${job.id}"]`);
  if (!old) return;
  const focused = old.contains(document.activeElement);
  const fresh = row(job);
  old.replaceWith(fresh);
  if (focused) fresh.querySelector(".job-name").focus();
}

export function jobTitle(job) {
  return state.names.get(job.modelId) || `model ${shortId(job.modelId)}`;
}

function row(job) {
  const spec = job.spec || {};
  const tr = h(
    "tr",
    {
      "data-job-id": job.id,
      "data-state": job.state,
      class: job.id === state.selected ? "selected" : "",
      "aria-selected": job.id === state.selected ? "true" : "false",
      onclick: (event) => {
        if (!event.target.closest("a, button")) select(job.id);
      },
    },
    h("td", {}, stateBadge(job.state)),
    h(
      "td",
      {},
      h(
        "button",
        { type: "button", class: "link job-name", onclick: () => select(job.id) },
        jobTitle(job),
      ),
      h(
        "div",
        { class: "muted small nowrap", title: `${job.id}, created ${job.createdAt}` },
        [spec.criterion || "manual", shortId(job.id), ago(job.createdAt)].join(" · "),
      ),
    ),
    h("td", { class: "progress-col" }, progressCell(job)),
    h("td", { class: "actions" }, rowActions(job)),
  );
  return tr;
}

function progressCell(job) {
  const p = job.progress;
  if (job.state === "SUCCEEDED") return progressBar(100, `${p?.layers ?? ""} layers done`.trim());
  if (!p) return h("span", { class: "muted small" }, job.state === "QUEUED" ? "Waiting for a worker" : "–");
  const parts = [];
  if (p.currentLayer) parts.push(p.currentLayer);
  if (p.layers) parts.push(`${p.layersDone} of ${p.layers} layers`);
  if (job.state === "RUNNING" && p.etaSeconds !== null && p.etaSeconds !== undefined) parts.push(`ETA ${duration(p.etaSeconds)}`);
  return progressBar(p.percent ?? 0, parts.join(" · "));
}

/** A job row's action: the review of a waiting layer. */
function rowActions(job) {
  if (job.state !== "AWAITING_SELECTION") return null;
  return h("a", { class: "btn primary small", href: `review.html?job=${job.id}`, "data-action": "review" }, "Review");
}

/** The selected job's cancel button, while there is something to cancel. */
function cancelButton(job) {
  if (isTerminal(job.state) || job.cancelRequested) return null;
  return h("button", { type: "button", class: "btn danger-quiet", "data-action": "cancel", onclick: () => cancel(job) }, "Cancel job");
}

async function cancel(job) {
  if (!confirm(`Cancel the job ${shortId(job.id)} (${jobTitle(job)})?`)) return;
  try {
    await request(`/api/v1/jobs/${job.id}/cancel`, { method: "POST" });
  } catch (error) {
    alert(`Could not cancel: ${error.message}`);
  }
  refreshSoon(job.id);
}

function select(id) {
  state.selected = id;
  history.replaceState(null, "", `#job=${id}`);
  document.querySelectorAll("#jobs tr").forEach((tr) => {
    const on = tr.dataset.jobId === id;
    tr.classList.toggle("selected", on);
    tr.setAttribute("aria-selected", on ? "true" : "false");
  });
  followActiveJobs();
  if (!state.jobs.has(id)) {
    getJson(`/api/v1/jobs/${id}`)
      .then((job) => {
        state.jobs.set(id, job);
        renderDetail();
      })
      .catch((error) => {
        $("job-detail").replaceChildren(h("p", { class: "form-error" }, `Job ${shortId(id)}: ${error.message}`));
      });
    return;
  }
  renderDetail();
}

function renderDetail() {
  const job = state.jobs.get(state.selected);
  if (!job) return;
  if (job.state === "SUCCEEDED" && !state.reports.has(job.id)) {
    state.reports.set(job.id, null);
    getJson(`/api/v1/jobs/${job.id}/report`)
      .then((report) => {
        state.reports.set(job.id, report);
        renderDetail();
      })
      .catch(() => {});
  }
  $("job-detail").replaceChildren(
    jobDetail(job, {
      title: jobTitle(job),
      dataset: state.names.get(job.datasetId),
      report: state.reports.get(job.id),
      events: state.activity.get(job.id) || [],
      badge: stateBadge(job.state),
      actions: cancelButton(job),
    }),
  );
}

main().catch((error) => {
  $("jobs-error").textContent = `The dashboard could not start: ${error.message}`;
});
