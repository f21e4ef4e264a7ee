// Shows post and message times in the reader's own time zone, in the same 2channel format.
// Without this module the server's time (Japan) is shown.
const lang = document.documentElement.lang === "ja" ? "ja" : "en";
const weekdays = lang === "ja" ? ["日", "月", "火", "水", "木", "金", "土"] : ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const pad = (n, width = 2) => String(n).padStart(width, "0");

export function formatTime(date) {
  return (
    `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())}(${weekdays[date.getDay()]}) ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(Math.floor(date.getMilliseconds() / 10))}`
  );
}

const clock = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

// A post's header shows the full 2channel time, a chat message the time of day, anything else
// (thread lists, search results) the date and minute.
function formatFor(element, date) {
  if (element.closest(".post-header")) return formatTime(date);
  if (element.closest(".chat-message")) return clock(date);
  return `${date.getFullYear()}/${pad(date.getMonth() + 1)}/${pad(date.getDate())} ${clock(date)}`;
}

export function localise(root = document) {
  for (const element of root.querySelectorAll("time[datetime]")) {
    const date = new Date(element.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    element.textContent = formatFor(element, date);
    element.title = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}

localise();
