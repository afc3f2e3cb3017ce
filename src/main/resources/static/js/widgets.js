// Small pieces both pages show: a job's state badge and a progress bar.
import { h } from "./dom.js";
import { stateName } from "./format.js";

/** A coloured badge naming a job state; data-state carries the raw value. */
export function stateBadge(state, attributes = {}) {
  return h("span", { ...attributes, class: `badge state-${state.toLowerCase()}`, "data-state": state }, stateName(state));
}

/** A thin progress bar with a caption: "40% · conv2 · 1 of 2 layers". */
export function progressBar(pct, text) {
  const clamped = Math.max(0, Math.min(100, pct));
  return h(
    "div",
    { class: "progress" },
    h(
      "div",
      { class: "bar", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": clamped, "aria-label": "Progress" },
      h("span", { style: `width:${clamped}%` }),
    ),
    h("div", { class: "small muted" }, `${Math.round(clamped)}%${text ? " · " + text : ""}`),
  );
}
