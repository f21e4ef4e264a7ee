// The one socket client of every live page (live.js, chat.js, presence.js): it connects to a
// path of this site, reads JSON frames, and reconnects with growing, spread-out waits until the
// server says there is nothing here (4404). Also the two things every page does with the items
// the server rendered: turning their HTML into nodes and putting them in order by number.
const CLOSE_NOT_FOUND = 4404;

// onOpen(), onMessage(frame) and onClose(retrying) are the page's; `path` may be a function,
// asked again on every reconnect (for ?last= and the like). Returns send(frame): false when the
// socket is not open, so the page can fall back to an ordinary form post.
export function openSocket(path, { onOpen, onMessage, onClose, retryFirst = 1000, retryMost = 30000 }) {
  let retry = retryFirst;
  let socket = null;
  let stopped = false;

  function connect() {
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${typeof path === "function" ? path() : path}`);
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
      onClose?.(!stopped);
      if (stopped) return;
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
