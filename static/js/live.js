// Live threads: new posts appear in order and deletions turn into their placeholders, without a
// reload. Every fragment is HTML the server rendered with the page's own post partial; nothing
// here builds markup from what anybody typed. Without this module the page is simply static.
//
// The socket says which number this page has; the server replays what is missing, then streams.
// After a dropped connection the same happens again, and numbers already shown are skipped.
import { localise } from "./localtime.js";
import {
  CLOSE_DATABASE_DOWN,
  fragment,
  insertByNumber,
  numberOf,
  openSocket,
  pageLanguage,
} from "./socket.js";

const posts = document.getElementById("posts");
const texts = document.getElementById("live")?.dataset ?? {};

function highestShown() {
  let highest = 0;
  for (const article of posts.querySelectorAll("article[data-number]")) {
    highest = Math.max(highest, numberOf(article));
  }
  return highest;
}

function readingTheEnd() {
  const articles = posts.querySelectorAll("article[data-number]");
  if (!articles.length) return true;
  const rect = articles[articles.length - 1].getBoundingClientRect();
  return rect.bottom <= window.innerHeight + 40 && rect.bottom >= 0;
}

function start() {
  let last = parseInt(posts.dataset.last, 10) || 0;
  // A page that ends where the thread ends grows with it; a range such as 1-100 does not.
  const showsEnd = highestShown() >= last;
  const unseen = new Set();

  const bar = document.createElement("button");
  bar.type = "button";
  bar.className = "new-posts-bar";
  bar.style.display = "none";
  posts.after(bar);
  const status = document.createElement("p");
  status.className = "muted live-status";
  status.setAttribute("role", "status");
  bar.after(status);

  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        unseen.delete(entry.target);
        observer.unobserve(entry.target);
      }
    }
    showBar();
  });

  function showBar() {
    if (!unseen.size) {
      bar.style.display = "none";
      return;
    }
    const count = String(unseen.size);
    bar.textContent = unseen.size === 1 ? texts.one : (texts.many || "").replace("{count}", count);
    bar.style.display = "";
  }

  bar.addEventListener("click", () => {
    const first = [...unseen].sort((a, b) => numberOf(a) - numberOf(b))[0];
    if (first) first.scrollIntoView({ block: "start", behavior: "smooth" });
  });

  function insert(element, number) {
    const following = readingTheEnd() && !unseen.size;
    insertByNumber(posts, element, number, "article[data-number]");
    localise(element);
    if (following) {
      element.scrollIntoView({ block: "nearest" });
    } else {
      unseen.add(element);
      observer.observe(element);
    }
  }

  function place(item) {
    const element = fragment(item.html);
    if (!element) return;
    const existing = document.getElementById(`p${item.number}`);
    if (existing) {
      // A deletion, or new backlinks under a post that was replied to.
      unseen.delete(existing);
      existing.replaceWith(element);
      localise(element);
    } else if (item.number > last && showsEnd) {
      insert(element, item.number);
    }
    last = Math.max(last, item.number);
  }

  function receive(message) {
    if (message.type === "posts") {
      for (const item of message.posts) place(item);
      showBar();
    } else if (message.type === "presence") {
      // "N reading now", worded by the server; hidden while it cannot count (Redis away).
      for (const element of document.querySelectorAll("[data-presence]")) {
        const entry = message.places?.[element.dataset.presence];
        element.textContent = entry ? entry.text : "";
        element.hidden = !entry;
      }
    } else if (message.type === "reload") {
      status.textContent = texts.reload || "";
    } else if (message.type === "error" && message.code === "database_unavailable") {
      status.textContent = message.message; // worded by the server, in the page's language
    }
  }

  const lang = encodeURIComponent(pageLanguage());
  openSocket(() => `/ws/thread/${posts.dataset.thread}/?last=${last}&lang=${lang}`, {
    onOpen() {
      status.textContent = "";
      posts.dataset.live = "open";
    },
    onMessage: receive,
    onClose(retrying, code) {
      posts.dataset.live = "closed";
      // After 4503 the server's own words (the error frame before it) stay on the page.
      if (retrying && code !== CLOSE_DATABASE_DOWN) status.textContent = texts.offline || "";
    },
  });
}

if (posts && posts.dataset.thread && "WebSocket" in window) start();
