// After a choice is sent: follow the job until it waits again, finishes or fails.
import { getJson } from "./api.js";
import { h } from "./dom.js";
import { isTerminal, stateName } from "./format.js";
import { progressBar } from "./widgets.js";

const POLL_MS = 1000;

/** Shows the job moving on in `container`, polling it until there is nothing left to watch. */
export function followAfterSubmit(container, job, layer, kernels) {
  const badge = h("span", { class: "badge", id: "job-state" });
  const detail = h("div", { class: "job-progress", id: "job-progress" });
  const next = h("div", { class: "button-row", id: "next-step" });
  container.replaceChildren(
    h("h2", {}, "Choice sent"),
    h(
      "p",
      {},
      kernels.length === 0 ? `Every kernel of ${layer} stays.` : `Kernels ${kernels.join(", ")} of ${layer} are being removed; the job retrains and goes on.`,
    ),
    h("div", { class: "job-status" }, h("span", { class: "muted" }, "Job state"), badge),
    detail,
    next,
    h("div", { class: "button-row" }, h("a", { class: "btn", href: `/#job=${job.id}`, id: "to-dashboard" }, "Back to the dashboard")),
  );
  container.hidden = false;
  container.querySelector("h2").setAttribute("tabindex", "-1");
  container.querySelector("h2").focus();
  show(job);

  function show(current) {
    badge.textContent = stateName(current.state);
    badge.className = `badge state-${current.state.toLowerCase()}`;
    badge.dataset.state = current.state;
    const p = current.progress;
    const pct = current.state === "SUCCEEDED" ? 100 : p?.percent ?? 0;
    detail.replaceChildren(p?.layers ? progressBar(pct, `${p.layersDone} of ${p.layers} layers done${p.currentLayer ? ` · at ${p.currentLayer}` : ""}`) : "");
    if (current.state === "AWAITING_SELECTION") {
      next.replaceChildren(
        h("p", {}, h("strong", {}, `Layer ${p?.currentLayer ?? "next"} is waiting for your choice.`)),
        h("a", { class: "btn primary", href: `review.html?job=${current.id}`, id: "review-next" }, `Review ${p?.currentLayer ?? "the next layer"}`),
      );
    } else if (current.state === "SUCCEEDED") {
      next.replaceChildren(h("p", {}, h("strong", {}, "The job is done."), " Its simplified model and report are on the dashboard."));
    } else if (current.state === "FAILED") {
      next.replaceChildren(h("p", { class: "form-error" }, `The job failed: ${current.lastError ?? "no reason given"}`));
    } else {
      next.replaceChildren();
    }
  }

  async function poll() {
    let current = job;
    try {
      current = await getJson(`/api/v1/jobs/${job.id}`);
      show(current);
    } catch {
      // Try again on the next tick.
    }
    if (!isTerminal(current.state) && current.state !== "AWAITING_SELECTION") setTimeout(poll, POLL_MS);
  }
  setTimeout(poll, POLL_MS);
}
