// The one socket client of every live page (live.js, chat.js, presence.js): it connects to a
// path of this site, reads JSON frames, and reconnects with growing, spread-out waits until the
// server says there is nothing here (4404); when the server's database is down (4503) it waits
// longer, as the 503 page's Retry-After asks. Also the two things every page does with the
// items the server rendered: turning their HTML into nodes and putting them in order by number.
const CLOSE_NOT_FOUND = 4404;
export const CLOSE_DATABASE_DOWN = 4503;
// How long (ms) a page waits after a 4503 before trying again: the 503 page's Retry-After.
const DATABASE_RETRY = 30000;

// People, not tabs, in "N here now": a random mark this browser keeps for the day in
// localStorage and sends only to this site's sockets (realtime/presence.py keeps a keyed hash
// of it, with expiry). A new day, a new mark; without storage, no mark at all.
function dailyMark() {
  try {
    const today = new Date().toISOString().slice(0, 10);
    const kept = JSON.parse(localStorage.getItem("yoake-here") || "null");
    if (kept && kept.day === today && /^[0-9a-f]{32}$/.test(kept.mark)) return kept.mark;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const mark = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem("yoake-here", JSON.stringify({ day: today, mark }));
    return mark;
  } catch {
    return "";
  }
}

function withMark(path) {
  const mark = dailyMark();
  return mark ? `${path}${path.includes("?") ? "&" : "?"}here=${mark}` : path;
}

// onOpen(), onMessage(frame) and onClose(retrying, code) are the page's; `path` may be a
// function, asked again on every reconnect (for ?last= and the like). Returns send(frame):
// false when the socket is not open, so the page can fall back to an ordinary form post.
export function openSocket(path, { onOpen, onMessage, onClose, retryFirst = 1000, retryMost = 30000 }) {
  let retry = retryFirst;
  let socket = null;
  let stopped = false;

  function connect() {
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${withMark(typeof path === "function" ? path() : path)}`);
    socket.addEventListener("open", () => {
      retry = retryFirst;
      onOpen?.();
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      onMessage(frame);
    });
    socket.addEventListener("close", (event) => {
      socket = null;
      stopped = event.code === CLOSE_NOT_FOUND;
      onClose?.(!stopped, event.code);
      if (stopped) return;
      if (event.code === CLOSE_DATABASE_DOWN) retry = Math.max(retry, DATABASE_RETRY);
      // Spread reconnects out, so a restarted server is not met by every reader at once.
      setTimeout(connect, retry * (0.5 + Math.random()));
      retry = Math.min(retry * 2, retryMost);
    });
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") connect();
  });
  connect();

  return function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };
}

// The page's language, for ?lang= (the server words counts, errors and help lines in it).
export function pageLanguage() {
  return document.documentElement.lang || "";
}

export function numberOf(element) {
  return parseInt(element.dataset.number, 10) || 0;
}

// The first element of server-rendered `html`, as a node not yet in the page.
export function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

// Puts `element` (numbered `number`) among the `selector` children of `container`, in order.
export function insertByNumber(container, element, number, selector = "[data-number]") {
  const following = [...container.querySelectorAll(selector)].find((item) => numberOf(item) > number);
  container.insertBefore(element, following ?? null);
}
