// The sensitivity curves of a target job: validation accuracy without retraining (y) when one group
// is pruned alone at each ratio of the grid (x), one line per group, the chosen ratio ringed.
import { svg } from "./dom.js";
import { percent } from "./format.js";

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 52, right: 24, top: 16, bottom: 40 };

/** A colour per group, cycling. */
export const PALETTE = ["#4338ca", "#0e9fb8", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#64748b", "#b91c1c"];

/** The chart of a report's target section, or null when it has no curves. */
export function sensitivityChart(target) {
  const curves = target?.curves || [];
  if (curves.length === 0) return null;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ratio) => PAD.left + plotW * ratio;
  const y = (v) => PAD.top + plotH * (1 - Math.max(0, Math.min(1, v)));

  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: "sensitivity-chart",
    role: "img",
    "aria-label": `Accuracy without retraining of ${curves.length} group(s) pruned alone at ratios 0.1 to 0.9`,
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(
      svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: PAD.left - 8, y: y(tick) + 4, class: "tick", "text-anchor": "end" }, `${tick * 100}%`),
    );
  }
  for (let r = 0; r <= 10; r += 1) {
    chart.append(svg("text", { x: x(r / 10), y: HEIGHT - PAD.bottom + 18, class: "tick", "text-anchor": "middle" }, (r / 10).toFixed(1)));
  }
  chart.append(svg("text", { x: PAD.left + plotW / 2, y: HEIGHT - 6, class: "tick", "text-anchor": "middle" }, "share of the group's kernels removed"));

  curves.forEach((curve, index) => {
    const color = PALETTE[index % PALETTE.length];
    const points = [{ ratio: 0, accuracy: target.accuracy }, ...curve.points];
    const d = points.map((p, n) => `${n === 0 ? "M" : "L"}${x(p.ratio).toFixed(1)},${y(p.accuracy).toFixed(1)}`).join(" ");
    chart.append(svg("path", { d, class: "line", stroke: color, "data-group": curve.group }));
    for (const p of curve.points) {
      chart.append(
        svg(
          "circle",
          { cx: x(p.ratio), cy: y(p.accuracy), r: 3, class: "dot", fill: color, stroke: color, "data-group": curve.group },
          svg("title", {}, `${curve.group} · ratio ${p.ratio.toFixed(1)} (${p.removed} of ${curve.channels} removed): ${percent(p.accuracy)}`),
        ),
      );
    }
    const chosen = points.find((p) => Math.abs(p.ratio - curve.chosenRatio) < 1e-9) || points[0];
    chart.append(
      svg(
        "circle",
        { cx: x(chosen.ratio), cy: y(chosen.accuracy), r: 7, class: "chosen", stroke: color, "data-group": curve.group, "data-chosen": curve.chosenRatio },
        svg("title", {}, `${curve.group}: chosen ratio ${curve.chosenRatio.toFixed(1)} (${curve.chosenRemoved} of ${curve.channels} removed)`),
      ),
    );
  });
  return chart;
}
