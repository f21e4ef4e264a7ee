// "N people here now" on the home, board and chat pages, kept current while the page is open.
// Elements say what they count: data-presence="site" | "board:<slug>" | "room:<slug>"; the one
// marked data-here is where this reader is counted (always on the site as well). The texts come
// from the server, translated; the server keeps only anonymous, expiring tokens in Redis.
import { openSocket, pageLanguage } from "./socket.js";

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
  const query = new URLSearchParams({ at: here, watch: watched, lang: pageLanguage() });
  openSocket(`/ws/presence/?${query}`, {
    onMessage(frame) {
      if (frame.type === "presence") showCounts(frame.places);
    },
    // Counts change slowly: no hurry to come back.
    retryFirst: 2000,
    retryMost: 60000,
  });
}

watch();
