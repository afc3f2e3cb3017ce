// Getting in: the API key is asked for once per tab, only when the server wants one (a server
// without keys runs in open mode and the form never shows).
import { ApiError, apiKey, request } from "./api.js";
import { h } from "./dom.js";

const PROBE = "/api/v1/jobs?size=1";

/**
 * Resolves once the API answers: at once in open mode or with a working stored key, otherwise
 * after the person enters a key that works. While the form shows, `content` is hidden.
 */
export async function ensureAccess(content) {
  if (await works()) {
    showStatus();
    return;
  }
  apiKey.clear();
  content.hidden = true;
  await askForKey(content);
  content.hidden = false;
  showStatus();
}

async function works() {
  try {
    await request(PROBE);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}

function askForKey(content) {
  return new Promise((resolve) => {
    const input = h("input", {
      id: "api-key",
      name: "api-key",
      type: "password",
      autocomplete: "off",
      spellcheck: "false",
      required: true,
      "aria-describedby": "api-key-help",
    });
    const error = h("p", { class: "form-error", role: "alert", id: "api-key-error" });
    const form = h(
      "form",
      { class: "access-card card", id: "access-form" },
      h("h1", {}, "Enter your API key"),
      h(
        "p",
        { class: "muted", id: "api-key-help" },
        "This server requires a key. It is kept in this browser tab only (session storage) and sent with each request as the X-API-Key header.",
      ),
      h("label", { for: "api-key" }, "API key"),
      h("div", { class: "input-row" }, input, h("button", { type: "submit", class: "btn primary" }, "Continue")),
      error,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      apiKey.set(input.value.trim());
      try {
        if (await works()) {
          form.remove();
          resolve();
          return;
        }
        error.textContent = "That key is not valid for this server.";
      } catch (failure) {
        error.textContent = `The server did not answer: ${failure.message}`;
      }
      apiKey.clear();
      input.select();
    });
    content.before(form);
    input.focus();
  });
}

/** The top bar's note of how this tab is signed in, with a way to forget the key. */
function showStatus() {
  const slot = document.getElementById("key-status");
  if (!slot) return;
  const key = apiKey.get();
  if (!key) {
    slot.replaceChildren(h("span", { class: "pill quiet", title: "The server has no API keys" }, "Open mode"));
    return;
  }
  const forget = h("button", { type: "button", class: "btn link" }, "Forget key");
  forget.addEventListener("click", () => {
    apiKey.clear();
    location.reload();
  });
  slot.replaceChildren(
    h("span", { class: "pill quiet", title: "API key of this tab" }, `Key ••••${key.slice(-4)}`),
    forget,
  );
}
