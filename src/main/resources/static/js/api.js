// The service's API as the pages use it: the API key (kept for this tab in sessionStorage and
// sent as X-API-Key), JSON requests with problem+json errors, images and downloads fetched with
// the key (plain <img src> and <a href> cannot send a header), and job events over SSE read with
// fetch() for the same reason (EventSource cannot send headers).

const KEY_STORAGE = "cnn.apiKey";
const KEY_HEADER = "X-API-Key";

/** The API key of this tab, or null in open mode / before one is entered. */
export const apiKey = {
  get: () => sessionStorage.getItem(KEY_STORAGE),
  set: (key) => sessionStorage.setItem(KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(KEY_STORAGE),
};

/** An API error: the HTTP status and the problem document's detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describeProblem(status, problem) {
  if (!problem) return `HTTP ${status}`;
  let text = problem.detail || problem.title || `HTTP ${status}`;
  if (problem.errors) {
    text += ": " + Object.entries(problem.errors).map(([k, v]) => `${k}: ${v}`).join("; ");
  }
  return text;
}

function headers(extra = {}) {
  const key = apiKey.get();
  return key ? { ...extra, [KEY_HEADER]: key } : extra;
}

/** A fetch() of the API with the key; throws ApiError unless the response is 2xx. */
export async function request(path, { method = "GET", json, accept, signal, extraHeaders } = {}) {
  const init = { method, signal, headers: headers({ ...extraHeaders }) };
  if (accept) init.headers.Accept = accept;
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // Not a problem document (a proxy's error page, say): the status says enough.
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** GET or POST JSON and parse the answer. */
export async function getJson(path, options) {
  return (await request(path, { accept: "application/json", ...options })).json();
}

export async function postJson(path, json, options) {
  return (await request(path, { method: "POST", json, accept: "application/json", ...options })).json();
}

/** An object URL of an image or file the API serves (revoke it when done). */
export async function objectUrl(path) {
  return URL.createObjectURL(await (await request(path)).blob());
}

/** Saves what the API serves at path as a file. */
export async function download(path, filename) {
  const url = await objectUrl(path);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const TERMINAL_EVENTS = new Set(["succeeded", "failed", "cancelled"]);

/**
 * Follows a job's Server-Sent Events. Reconnects with Last-Event-ID when the stream drops (the
 * server ends a stream after 30 minutes, or the network blinks) and stops after the job's final
 * event. Returns { close() }.
 *
 * @param onEvent called with { id, type, data } for every event (data parsed as JSON)
 * @param onState called with "live", "reconnecting" or "closed"
 */
export function followJobEvents(jobId, { onEvent, onState = () => {}, lastEventId = null }) {
  let lastId = lastEventId;
  let closed = false;
  let controller = null;
  let failures = 0;

  async function connect() {
    while (!closed) {
      controller = new AbortController();
      let ended = false;
      let received = 0;
      try {
        const extra = { Accept: "text/event-stream" };
        if (lastId) extra["Last-Event-ID"] = lastId;
        const response = await request(`/api/v1/jobs/${jobId}/events`, {
          signal: controller.signal,
          extraHeaders: extra,
        });
        onState("live");
        await readEvents(response.body, (event) => {
          received++;
          failures = 0;
          if (event.id) lastId = event.id;
          let data = event.data;
          try {
            data = JSON.parse(event.data);
          } catch {
            // Keep the raw text.
          }
          onEvent({ id: event.id, type: event.type, data });
          if (TERMINAL_EVENTS.has(event.type)) ended = true;
        });
      } catch (error) {
        if (closed) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          onState("closed", error);
          return;
        }
        failures++;
      }
      if (ended || closed) break;
      // A stream that ends with nothing new (the server's timeout, or a job that ended unseen)
      // is asked again ever more slowly.
      if (received === 0) failures++;
      onState("reconnecting");
      await sleep(Math.min(15_000, 500 * 2 ** Math.min(failures, 5)));
    }
    onState("closed");
  }

  connect();
  return {
    close() {
      closed = true;
      if (controller) controller.abort();
    },
  };
}

/** Parses a text/event-stream body, calling onEvent({id, type, data}) per event. */
export async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let id = null;
  let type = null;
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      let line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (data.length > 0) onEvent({ id, type: type || "message", data: data.join("\n") });
        type = null;
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue; // a comment: the server's keep-alive
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "event") type = value;
      else if (field === "data") data.push(value);
    }
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
