// The review queue reloads itself when something changes, unless the moderator is in the middle
// of choosing items or typing: then it says so and waits for them.
const list = document.getElementById("changelist");

function busy() {
  return Boolean(
    document.querySelector("#result_list input.action-select:checked") ||
      (document.activeElement && document.activeElement.matches("input[type=text], textarea, select")),
  );
}

function tell(risk) {
  // The words come translated from the page (data-risk, data-other).
  const note = document.getElementById("review-new");
  if (!note) return;
  note.textContent = risk ? note.dataset.risk : note.dataset.other;
  note.hidden = false;
}

function connect(delay) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/review/`);
  socket.addEventListener("open", () => {
    delay = 1000;
  });
  socket.addEventListener("message", (event) => {
    const change = JSON.parse(event.data);
    if ("latest" in change) {
      // The first frame: has anything arrived since this page was rendered?
      const seen = Number(document.getElementById("review-new")?.dataset.latest || 0);
      if (change.latest <= seen) return;
      change.risk = true; // unknown, so say the stronger thing
    }
    if (busy()) tell(change.risk);
    else location.reload();
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4403) return; // not staff with two-factor: nothing will change that here
    setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
  });
}

if (list) connect(1000);
