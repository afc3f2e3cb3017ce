// The kernel grid of the review page: its header, the inputs row and one row per kernel, and
// the sheets fetched with the API key.
import { objectUrl } from "./api.js";
import { h } from "./dom.js";
import { percent, score } from "./format.js";

export const SCORES = [
  { key: "L1", label: "L1", title: "Sum of absolute weights" },
  { key: "L2", label: "L2", title: "Euclidean norm of the weights" },
  { key: "APOZ", label: "1 − APoZ", title: "Share of the kernel's activations above zero (1 − average percentage of zeros)" },
  { key: "MEAN_ACTIVATION", label: "Mean act.", title: "Mean activation on the scoring images" },
];

/** The header row: sortable kernel and score columns; onSort(key) when one is clicked. */
export function headRow(onSort) {
  const sortable = (key, label, title) => {
    const th = h("th", { scope: "col", "data-sort": key, "aria-sort": "none", class: key === "index" ? "" : "num" });
    th.append(h("button", { type: "button", class: "sort", title: title || `Sort by ${label}`, onclick: () => onSort(key) }, label, h("span", { class: "arrow", "aria-hidden": "true" })));
    return th;
  };
  return [
    h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Remove")),
    sortable("index", "Kernel"),
    h("th", { scope: "col" }, "Activation maps"),
    ...SCORES.map((s) => sortable(s.key, s.label, s.title)),
  ];
}

export function sheet(url, alt) {
  return h("img", { class: "sheet loading", "data-src": url, alt, draggable: "false" });
}

/** Class names above the inputs, each spanning its samples. */
export function classLabels(samples) {
  const groups = [];
  for (const sample of samples) {
    const last = groups[groups.length - 1];
    if (last && last.name === sample.class) last.span++;
    else groups.push({ name: sample.class, span: 1 });
  }
  return h("div", { class: "class-labels", "aria-hidden": "true" }, groups.map((g) => h("span", { style: `flex:${g.span}`, title: g.name }, g.name)));
}

/** One kernel's row: toggle, index, sheet and scores (bars scaled by the column's range). */
export function kernelRow(kernel, review, ranges) {
  return h(
    "tr",
    { "data-kernel": kernel.index, class: kernel.suggested ? "suggested" : "" },
    h(
      "td",
      { class: "toggle-cell" },
      h("button", { type: "button", class: "toggle", "aria-pressed": "false", "aria-label": `Remove kernel ${kernel.index}`, tabindex: "-1" }, h("span", { class: "box", "aria-hidden": "true" }), h("span", { class: "toggle-text", "aria-hidden": "true" }, "Remove")),
    ),
    h("th", { scope: "row", class: "kernel-id" }, h("span", { class: "index" }, `#${kernel.index}`), kernel.suggested ? h("span", { class: "tag", title: `Suggested by ${review.suggestion.by}` }, "suggested") : null),
    h("td", { class: "maps" }, sheet(kernel.sheetUrl, `Activation maps of kernel ${kernel.index}`)),
    ...SCORES.map((s) => {
      const value = kernel.scores[s.key];
      const [low, high] = ranges[s.key];
      const share = high > low ? (value - low) / (high - low) : 0;
      return h("td", { class: "num score", style: `--share:${share.toFixed(3)}` }, s.key === "APOZ" ? percent(value) : score(value), h("span", { class: "score-bar", "aria-hidden": "true" }));
    }),
  );
}

/** Each score's [low, high] over the layer, for the bars. */
export function scoreRanges(review) {
  const ranges = {};
  for (const s of SCORES) {
    const values = review.kernels.map((k) => k.scores[s.key]).filter((v) => typeof v === "number");
    ranges[s.key] = [Math.min(0, ...values), Math.max(...values)];
  }
  return ranges;
}

/** Fetches the sheets with the API key, a few at a time, the inputs first. */
export async function loadImages(which = document.querySelectorAll("img.sheet[data-src]")) {
  const images = [...which];
  const next = async () => {
    for (let img; (img = images.shift()); ) {
      try {
        img.src = await objectUrl(img.dataset.src);
        img.addEventListener("load", () => img.classList.remove("loading"), { once: true });
      } catch (error) {
        img.alt = `${img.alt}: not loaded (${error.message})`;
        img.classList.replace("loading", "failed");
      }
    }
  };
  await Promise.all([next(), next(), next(), next()]);
}
