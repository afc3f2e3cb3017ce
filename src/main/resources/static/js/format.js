// How numbers, times and states read on the pages.

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** 1234567 → "1,234,567". */
export const count = (n) => (n === null || n === undefined ? "–" : integer.format(n));

/** 1234567 → "1.2M". */
export const short = (n) => (n === null || n === undefined ? "–" : compact.format(n));

/** 0.9123 → "91.2%". */
export const percent = (fraction, digits = 1) =>
  fraction === null || fraction === undefined || Number.isNaN(fraction)
    ? "–"
    : `${(fraction * 100).toFixed(digits)}%`;

/** A score to three significant digits, small and large ones in exponent form. */
export function score(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(2);
  return value.toPrecision(3);
}

/** Seconds → "1 h 4 min", "3 min 20 s", "12 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** An ISO instant → "5 min ago" (or the date for old ones). */
export function ago(instant) {
  if (!instant) return "–";
  const then = new Date(instant);
  const seconds = (Date.now() - then.getTime()) / 1000;
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return then.toLocaleDateString();
}

const STATE_NAMES = {
  QUEUED: "Queued",
  RUNNING: "Running",
  AWAITING_SELECTION: "Awaiting selection",
  RETRY_WAIT: "Retrying",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

/** A job state as people read it. */
export const stateName = (state) => STATE_NAMES[state] || state;

/** Whether nothing follows this state. */
export const isTerminal = (state) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(state);

/** The first block of a UUID, enough to tell jobs apart on a page. */
export const shortId = (id) => (id ? id.slice(0, 8) : "");
