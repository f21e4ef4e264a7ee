// Chat rooms: messages arrive live, sending goes over the socket, and nothing is lost across a
// reconnect (the socket says the last number this page has; the server replays the rest).
// Messages, errors and help lines are rendered or worded by the server; nothing here builds
// markup from what anybody typed. Without this module the room still works: the form posts.
import { showCounts } from "./presence.js";

const log = document.getElementById("chat-log");
const form = document.getElementById("chat-form");
const RETRY_FIRST = 1000;
const RETRY_MOST = 30000;
const HANDLE_KEY = "yoake-chat-handle";
const pad = (n) => String(n).padStart(2, "0");

function numberOf(element) {
  return parseInt(element.dataset.number, 10) || 0;
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function localTimes(root) {
  for (const time of root.querySelectorAll("time[datetime]")) {
    const date = new Date(time.getAttribute("datetime"));
    if (!Number.isNaN(date.getTime())) time.textContent = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }
}

function start() {
  const room = log.dataset.room;
  const status = document.getElementById("chat-status");
  const errors = document.getElementById("chat-error");
  const help = document.getElementById("chat-help");
  const body = form?.elements.namedItem("body");
  const handle = form?.elements.namedItem("handle");
  let last = parseInt(log.dataset.last, 10) || 0;
  let retry = RETRY_FIRST;
  let socket = null;
  let stopped = false;
  let pending = null;
  let nonces = 0;

  if (handle && !handle.value) handle.value = localStorage.getItem(HANDLE_KEY) || "";
  localTimes(log);
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
      const after = [...log.querySelectorAll("[data-number]")].find((m) => numberOf(m) > item.number);
      log.insertBefore(element, after ?? null);
    }
    localTimes(element);
    last = Math.max(last, item.number);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function receive(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "messages") {
      for (const item of message.messages) place(item);
    } else if (message.type === "sent") {
      if (pending && message.nonce === pending) {
        pending = null;
        body.value = "";
        showError("");
      }
    } else if (message.type === "error") {
      if (!message.nonce || message.nonce === pending) pending = null;
      showError(message.message);
    } else if (message.type === "help") {
      help.innerHTML = message.html;
    } else if (message.type === "presence") {
      showCounts(message.places);
    } else if (message.type === "reload") {
      location.reload();
    }
  }

  function connect() {
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const params = new URLSearchParams({
      last: String(last),
      lang: document.documentElement.lang || "",
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
    });
    socket = new WebSocket(`${scheme}://${location.host}/ws/chat/${room}/?${params}`);
    socket.addEventListener("open", () => {
      retry = RETRY_FIRST;
      status.textContent = "";
      log.dataset.live = "open";
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", (event) => {
      socket = null;
      log.dataset.live = "closed";
      pending = null;
      if (event.code === 4404) {
        stopped = true;
        return;
      }
      status.textContent = log.dataset.offline || "";
      setTimeout(connect, retry * (0.5 + Math.random()));
      retry = Math.min(retry * 2, RETRY_MOST);
    });
  }

  form?.addEventListener("submit", (event) => {
    // Without an open socket the form posts the ordinary way.
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    event.preventDefault();
    if (pending) return;
    nonces += 1;
    pending = `${Date.now()}-${nonces}`;
    localStorage.setItem(HANDLE_KEY, handle.value);
    socket.send(JSON.stringify({ type: "send", handle: handle.value, body: body.value, nonce: pending }));
  });
  body?.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter starts a new line (and IME composition is left alone).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") connect();
  });
  connect();
}

if (log && log.dataset.room && "WebSocket" in window) start();
