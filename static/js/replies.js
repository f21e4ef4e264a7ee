// "1 reply to you" in the header. Pages are cached alike for every reader and the poster cookie
// is HttpOnly, so the page asks the server for this browser's count (forum/replies.py) and, once
// the browser has posted, listens on /ws/replies/ to ask again the moment someone replies.
// Without this module the header's link still leads to the Replies page.
import { openSocket } from "./socket.js";

const link = document.querySelector("[data-replies]");
let listening = false;

function show({ unseen, label }) {
  link.textContent = label;
  link.classList.toggle("has-replies", unseen > 0);
}

async function refresh() {
  let answer;
  try {
    const response = await fetch("/replies/count/", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return;
    answer = await response.json();
  } catch {
    return; // offline: the link stays as it is
  }
  show(answer);
  if (answer.posted && !listening) {
    listening = true;
    openSocket("/ws/replies/", {
      onOpen: refresh, // after a reconnect, whatever arrived meanwhile
      onMessage: (frame) => {
        if (frame.type === "replies") refresh();
      },
    });
  }
}

if (link) {
  refresh();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
}
