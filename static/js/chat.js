// Chat rooms: messages arrive live, sending goes over the socket, and nothing is lost across a
// reconnect (the socket says the last number this page has; the server replays the rest).
// Messages, errors and help lines are rendered or worded by the server; nothing here builds
// markup from what anybody typed. Without this module the room still works: the form posts.
import { localise } from "./localtime.js";
import { showCounts } from "./presence.js";
import { fragment, insertByNumber, openSocket, pageLanguage } from "./socket.js";

const log = document.getElementById("chat-log");
const form = document.getElementById("chat-form");
const HANDLE_KEY = "yoake-chat-handle";

function start() {
  const room = log.dataset.room;
  const status = document.getElementById("chat-status");
  const errors = document.getElementById("chat-error");
  const help = document.getElementById("chat-help");
  const body = form?.elements.namedItem("body");
  const handle = form?.elements.namedItem("handle");
  let last = parseInt(log.dataset.last, 10) || 0;
  let pending = null;
  let resting = false;
  // A message with risk language was held and its help shown: the next Send sends it anyway.
  let confirmRisk = false;
  let nonces = 0;

  if (handle && !handle.value) handle.value = localStorage.getItem(HANDLE_KEY) || "";
  log.scrollTop = log.scrollHeight;

  function showError(text) {
    errors.replaceChildren();
    if (!text) {
      errors.hidden = true;
      return;
    }
    const item = document.createElement("li");
    item.textContent = text;
    errors.append(item);
    errors.hidden = false;
  }

  function place(item) {
    const element = fragment(item.html);
    if (!element) return;
    const existing = document.getElementById(`m${item.number}`);
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    if (existing) {
      existing.replaceWith(element);
    } else {
      log.querySelector(".chat-empty")?.remove();
      insertByNumber(log, element, item.number);
    }
    localise(element);
    last = Math.max(last, item.number);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function receive(message) {
    if (message.type === "messages") {
      for (const item of message.messages) place(item);
    } else if (message.type === "sent") {
      if (pending && message.nonce === pending) {
        pending = null;
        confirmRisk = false;
        body.value = "";
        showError("");
        // Part of the message was masked (personal information): say why, calmly.
        status.textContent = message.notice || "";
      }
    } else if (message.type === "error") {
      if (!message.nonce || message.nonce === pending) pending = null;
      // The database is down: the socket closes (4503) and retries later; clear this then.
      resting = message.code === "database_unavailable";
      showError(message.message);
    } else if (message.type === "help") {
      // Server-rendered help lines (never anything a person typed); the text stays in the box.
      help.innerHTML = message.html;
      if (message.held && message.nonce === pending) {
        pending = null;
        confirmRisk = true;
        help.scrollIntoView({ block: "start" });
      }
    } else if (message.type === "presence") {
      showCounts(message.places);
    } else if (message.type === "reload") {
      location.reload();
    }
  }

  const send = openSocket(
    () => {
      const params = new URLSearchParams({
        last: String(last),
        lang: pageLanguage(),
        tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
      });
      return `/ws/chat/${room}/?${params}`;
    },
    {
      onOpen() {
        status.textContent = "";
        log.dataset.live = "open";
        if (resting) showError("");
        resting = false;
      },
      onMessage: receive,
      onClose(retrying) {
        log.dataset.live = "closed";
        pending = null;
        if (retrying) status.textContent = log.dataset.offline || "";
      },
    },
  );

  form?.addEventListener("submit", (event) => {
    if (pending) {
      event.preventDefault();
      return;
    }
    nonces += 1;
    const nonce = `${Date.now()}-${nonces}`;
    // Without an open socket the form posts the ordinary way.
    const frame = { type: "send", handle: handle.value, body: body.value, nonce };
    if (confirmRisk) frame.confirm_risk = true;
    if (!send(frame)) return;
    event.preventDefault();
    pending = nonce;
    localStorage.setItem(HANDLE_KEY, handle.value);
  });
  body?.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line (and IME composition is left alone).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

if (log && log.dataset.room && "WebSocket" in window) start();
