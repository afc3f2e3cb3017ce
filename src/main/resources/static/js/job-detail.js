// The selected job on the dashboard: what it does, its per-layer chart and steps, its activity,
// and its downloads.
import { download } from "./api.js";
import { SERIES, layerChart } from "./chart.js";
import { h } from "./dom.js";
import { ago, count, duration, percent, shortId } from "./format.js";

/**
 * @param job the job's JSON
 * @param context { title, dataset, report, events, badge, actions }
 */
export function jobDetail(job, context) {
  const spec = job.spec || {};
  const steps = job.progress?.steps || context.report?.steps || [];
  const originalAccuracy = context.report?.original?.validation?.accuracy ?? null;
  return h(
    "div",
    { class: "detail-body", "data-job-id": job.id, "data-state": job.state },
    h(
      "div",
      { class: "detail-head" },
      h("div", {}, h("h2", { id: "detail-title" }, context.title), h("div", { class: "muted small mono" }, job.id)),
      context.badge,
    ),
    waitingCallout(job),
    job.lastError ? h("p", { class: "callout error" }, h("strong", {}, "Last error: "), job.lastError) : null,
    h(
      "dl",
      { class: "facts" },
      fact("Criterion", spec.criterion || "manual"),
      spec.criterion === "SUBJECTIVE" ? fact("Suggestion", spec.suggestionCriterion) : null,
      fact("Policy", describePolicy(spec.policy)),
      fact("Strategy", spec.strategy),
      fact("Layers", spec.layers?.length ? spec.layers.join(", ") : "every prunable layer"),
      fact("Data set", context.dataset || shortId(job.datasetId)),
      fact("Retraining", spec.retraining ? `${spec.retraining.epochs} epoch(s), batch ${spec.retraining.batchSize}, lr ${spec.retraining.learningRate}` : "–"),
      job.attempt > 1 ? fact("Attempt", `${job.attempt} of ${job.maxAttempts}`) : null,
      fact("Created", ago(job.createdAt)),
      job.finishedAt ? fact("Finished", ago(job.finishedAt)) : null,
    ),
    context.actions || job.state === "SUCCEEDED" ? h("div", { class: "button-row" }, context.actions, downloads(job)) : null,
    summary(steps, context.report),
    h("h3", {}, "Per layer"),
    chartBlock(steps, originalAccuracy),
    stepsTable(steps),
    h("h3", {}, "Activity"),
    activity(context.events),
  );
}

function fact(name, value) {
  return [h("dt", {}, name), h("dd", {}, value ?? "–")];
}

function describePolicy(policy) {
  if (!policy) return "–";
  switch (policy.type) {
    case "ratio":
      return `remove ${percent(policy.ratio, 0)} of each layer's kernels`;
    case "threshold":
      return `remove kernels scoring below ${policy.threshold}`;
    case "maxAccuracyDrop":
      return `as many as keep the accuracy drop under ${percent(policy.maxDrop)}`;
    case "manual":
      return "kernels named in the request";
    default:
      return policy.type;
  }
}

function waitingCallout(job) {
  if (job.state !== "AWAITING_SELECTION") return null;
  const layer = job.progress?.currentLayer;
  return h(
    "div",
    { class: "callout waiting" },
    h("p", {}, h("strong", {}, layer ? `Layer ${layer} is waiting for your choice.` : "This job is waiting for your choice."), " Look at what each kernel responds to and mark the ones to remove."),
    h("a", { class: "btn primary", href: `review.html?job=${job.id}` }, "Review kernels"),
  );
}

function downloads(job) {
  if (job.state !== "SUCCEEDED") return null;
  const button = (label, path, file) =>
    h("button", {
      type: "button",
      class: "btn",
      "data-action": label.toLowerCase().replace(/\s+/g, "-"),
      onclick: async (event) => {
        const target = event.currentTarget;
        target.disabled = true;
        try {
          await download(path, file);
        } catch (error) {
          alert(`Could not download: ${error.message}`);
        } finally {
          target.disabled = false;
        }
      },
    }, label);
  return [
    button("Download model", job.links.result, `simplified-${shortId(job.id)}.zip`),
    button("Download report", job.links.report, `report-${shortId(job.id)}.json`),
  ];
}

function summary(steps, report) {
  if (steps.length === 0) return null;
  const first = steps[0];
  const last = steps[steps.length - 1];
  const tile = (label, before, after, format) =>
    h(
      "div",
      { class: "tile" },
      h("div", { class: "tile-label" }, label),
      h("div", { class: "tile-value" }, format(after)),
      h("div", { class: "small muted" }, `from ${format(before)}`, before ? ` (${change(before, after)})` : ""),
    );
  const accuracyBefore = report?.original?.validation?.accuracy ?? first.afterElimination?.accuracy ?? null;
  const lastMetrics = last.afterRetraining || last.afterElimination;
  return h(
    "div",
    { class: "tiles" },
    tile("Parameters", first.paramsBefore, last.paramsAfter, count),
    tile("FLOPs per image", first.flopsBefore, last.flopsAfter, count),
    headlineTile(report?.headline),
    h(
      "div",
      { class: "tile" },
      h("div", { class: "tile-label" }, `Validation accuracy${imagesOf(lastMetrics)}`),
      h("div", { class: "tile-value" }, percent(lastMetrics?.accuracy)),
      h("div", { class: "small muted" }, report ? `original ${percent(accuracyBefore)}` : `after ${steps.length} step(s)`),
    ),
  );
}

// The accuracy to quote: on the test (or held-out) split, which no selection looked at.
function headlineTile(headline) {
  if (!headline || headline.split === "validation") return null;
  const label = headline.split === "held-out" ? "Held-out test accuracy" : "Test accuracy";
  return h(
    "div",
    { class: "tile" },
    h("div", { class: "tile-label" }, `${label}${imagesOf(headline.simplified)}`),
    h("div", { class: "tile-value" }, percent(headline.simplified?.accuracy)),
    h("div", { class: "small muted" }, `original ${percent(headline.original?.accuracy)}`),
  );
}

function imagesOf(metrics) {
  return metrics?.images ? ` (${count(metrics.images)} images)` : "";
}

function change(before, after) {
  const delta = (after - before) / before;
  return `${delta <= 0 ? "−" : "+"}${Math.abs(delta * 100).toFixed(1)}%`;
}

function chartBlock(steps, originalAccuracy) {
  const chart = layerChart(steps, originalAccuracy);
  if (!chart) return h("p", { class: "empty" }, "No layer finished yet.");
  return h(
    "figure",
    { class: "chart" },
    chart,
    h(
      "figcaption",
      { class: "legend" },
      SERIES.map((s) => h("span", { class: `key ${s.dashed ? "dashed" : ""}`, style: `--key:${s.color}` }, s.label)),
    ),
  );
}

function stepsTable(steps) {
  if (steps.length === 0) return null;
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "steps-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          [["Layer"], ["Kernels"], ["Params", "num"], ["FLOPs", "num"], ["Accuracy", "num", "after elimination → after retraining"], ["Decided by"], ["Time", "num"]].map(
            ([t, c, title]) => h("th", { scope: "col", class: c, title }, t),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        steps.map((s) =>
          h(
            "tr",
            {},
            h("td", { class: "mono" }, s.layer),
            h(
              "td",
              { class: "nowrap" },
              `${s.kernelsBefore} → ${s.kernelsAfter}`,
              h("div", { class: "muted small", title: `removed: ${s.removedKernels.join(", ")}` }, `removed ${abbreviate(s.removedKernels)}`),
            ),
            h("td", { class: "num" }, count(s.paramsAfter)),
            h("td", { class: "num" }, count(s.flopsAfter)),
            h(
              "td",
              { class: "num nowrap" },
              s.afterRetraining ? `${percent(s.afterElimination?.accuracy)} → ${percent(s.afterRetraining.accuracy)}` : percent(s.afterElimination?.accuracy),
            ),
            h("td", { class: "small" }, s.decidedBy),
            h("td", { class: "num nowrap" }, duration(s.seconds)),
          ),
        ),
      ),
    ),
  );
}

function abbreviate(list) {
  if (list.length === 0) return "none";
  return list.length <= 6 ? list.join(", ") : `${list.slice(0, 5).join(", ")}, … (${list.length})`;
}

const EVENT_NAMES = {
  queued: "Queued",
  started: "Started by a worker",
  layer_started: "Layer started",
  step: "Layer simplified",
  awaiting_selection: "Waiting for a choice of kernels",
  resumed: "Choice received; queued again",
  resumed_from_checkpoint: "Resumed from its checkpoint",
  succeeded: "Succeeded",
  failed: "Failed",
  retrying: "Attempt failed; will retry",
  cancelled: "Cancelled",
  cancel_requested: "Cancel requested",
  rescued: "Rescued after its worker was lost",
  handed_back: "Handed back at shutdown",
};

function activity(events) {
  if (events.length === 0) return h("p", { class: "empty" }, "No events yet.");
  const latest = events.slice(-12).reverse();
  return h(
    "ol",
    { class: "activity" },
    latest.map((event) =>
      h(
        "li",
        { "data-type": event.type },
        h("span", { class: "dot" }),
        h("span", {}, EVENT_NAMES[event.type] || event.type),
        eventNote(event),
      ),
    ),
  );
}

function eventNote(event) {
  const d = event.data || {};
  let note = "";
  if (event.type === "layer_started") note = `${d.layer} (${d.index + 1} of ${d.layers})`;
  else if (event.type === "step") note = `${d.layer}: ${d.kernelsBefore} → ${d.kernelsAfter} kernels`;
  else if (event.type === "failed" || event.type === "retrying") note = d.error || "";
  else if (event.type === "started" && d.attempt) note = `attempt ${d.attempt}`;
  return note ? h("span", { class: "muted small" }, ` ${note}`) : null;
}
