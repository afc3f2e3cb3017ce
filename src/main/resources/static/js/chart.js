// The per-layer chart of a job: parameters and FLOPs left (as a share of the original model) and
// validation accuracy, after each step. Inline SVG, one 0–100 % axis for all three.
import { svg } from "./dom.js";
import { count, percent } from "./format.js";

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 52, right: 36, top: 16, bottom: 40 };

export const SERIES = [
  { key: "params", label: "Parameters left", color: "var(--c-params)" },
  { key: "flops", label: "FLOPs left", color: "var(--c-flops)" },
  { key: "accuracy", label: "Accuracy after retraining", color: "var(--c-accuracy)" },
  { key: "eliminated", label: "Accuracy right after elimination", color: "var(--c-accuracy)", dashed: true },
];

/** The points of each series, from the original model (x = 0) through every step. */
export function seriesOf(steps, originalAccuracy) {
  const params0 = steps[0].paramsBefore;
  const flops0 = steps[0].flopsBefore;
  const original = { label: "original", params: 1, flops: 1, accuracy: originalAccuracy, eliminated: originalAccuracy };
  const points = steps.map((step) => ({
    label: step.layer === "*" ? "fine-tune" : step.layer,
    params: params0 ? step.paramsAfter / params0 : null,
    flops: flops0 ? step.flopsAfter / flops0 : null,
    accuracy: (step.afterRetraining || step.afterElimination)?.accuracy ?? null,
    eliminated: step.afterRetraining ? step.afterElimination?.accuracy ?? null : null,
    step,
  }));
  return [original, ...points];
}

/** The chart of these steps, or null when there are none yet. */
export function layerChart(steps, originalAccuracy = null) {
  if (!steps || steps.length === 0) return null;
  const points = seriesOf(steps, originalAccuracy);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v) => PAD.top + plotH * (1 - Math.max(0, Math.min(1, v)));

  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "layer-chart",
    role: "img",
    "aria-label": `Parameters, FLOPs and accuracy after each of ${steps.length} steps`,
  });

  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(
      svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: PAD.left - 8, y: y(tick) + 4, class: "tick", "text-anchor": "end" }, `${tick * 100}%`),
    );
  }
  points.forEach((point, i) => {
    const label = point.label.length > 12 ? point.label.slice(0, 11) + "…" : point.label;
    chart.append(svg("text", { x: x(i), y: HEIGHT - PAD.bottom + 20, class: "tick", "text-anchor": "middle" }, label));
  });

  for (const series of SERIES) {
    const present = points.map((p, i) => [p[series.key], i]).filter(([v]) => v !== null && v !== undefined);
    if (present.length === 0) continue;
    const d = present.map(([v, i], n) => `${n === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    chart.append(
      svg("path", {
        d,
        class: `line ${series.dashed ? "dashed" : ""}`,
        stroke: series.color,
        "data-series": series.key,
      }),
    );
    for (const [v, i] of present) {
      chart.append(
        svg(
          "circle",
          { cx: x(i), cy: y(v), r: series.dashed ? 3 : 4, class: series.dashed ? "dot hollow" : "dot", stroke: series.color, fill: series.dashed ? "var(--surface)" : series.color },
          svg("title", {}, tooltip(series, points[i], v)),
        ),
      );
    }
  }
  return chart;
}

function tooltip(series, point, value) {
  const step = point.step;
  const head = `${point.label} · ${series.label}: ${percent(value)}`;
  if (!step) return head;
  if (series.key === "params") return `${head} (${count(step.paramsAfter)} of ${count(step.paramsBefore)} before)`;
  if (series.key === "flops") return `${head} (${count(step.flopsAfter)} of ${count(step.flopsBefore)} before)`;
  return head;
}
