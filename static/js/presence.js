// "N people here now" on the home, board and chat pages, kept current while the page is open.
// Elements say what they count: data-presence="site" | "board:<slug>" | "room:<slug>"; the one
// marked data-here is where this reader is counted (always on the site as well). The texts come
// from the server, translated; the server keeps only anonymous, expiring tokens in Redis.
const RETRY_FIRST = 2000;
const RETRY_MOST = 60000;

export function showCounts(places) {
  for (const element of document.querySelectorAll("[data-presence]")) {
    const entry = places ? places[element.dataset.presence] : null;
    if (entry) {
      element.textContent = entry.text;
      element.hidden = false;
    } else {
      element.hidden = true;
    }
  }
}

function watch() {
  const elements = [...document.querySelectorAll("[data-presence]")];
  // A chat room's counts come over the room's own socket (chat.js).
  if (!elements.length || document.getElementById("chat-log") || !("WebSocket" in window)) return;
  const here = elements.find((element) => "here" in element.dataset)?.dataset.presence ?? "";
  const watched = [...new Set(elements.map((element) => element.dataset.presence))].join(",");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const lang = encodeURIComponent(document.documentElement.lang || "");
  const url = `${scheme}://${location.host}/ws/presence/?at=${encodeURIComponent(here)}&watch=${encodeURIComponent(watched)}&lang=${lang}`;
  let retry = RETRY_FIRST;

  function connect() {
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      retry = RETRY_FIRST;
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "presence") showCounts(message.places);
    });
    socket.addEventListener("close", () => {
      setTimeout(connect, retry * (0.5 + Math.random()));
      retry = Math.min(retry * 2, RETRY_MOST);
    });
  }
  connect();
}

watch();
