// Live threads: new posts appear in order and deletions turn into their placeholders, without a
// reload. Every fragment is HTML the server rendered with the page's own post partial; nothing
// here builds markup from what anybody typed. Without this module the page is simply static.
//
// The socket says which number this page has; the server replays what is missing, then streams.
// After a dropped connection the same happens again, and numbers already shown are skipped.
import { localise } from "./localtime.js";

const posts = document.getElementById("posts");
const texts = document.getElementById("live")?.dataset ?? {};
const RETRY_FIRST = 1000;
const RETRY_MOST = 30000;

function numberOf(element) {
  return parseInt(element.dataset.number, 10) || 0;
}

function highestShown() {
  let highest = 0;
  for (const article of posts.querySelectorAll("article[data-number]")) {
    highest = Math.max(highest, numberOf(article));
  }
  return highest;
}

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
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
  let retry = RETRY_FIRST;
  let socket = null;
  let stopped = false;
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
    const after = [...posts.querySelectorAll("article[data-number]")].find((a) => numberOf(a) > number);
    posts.insertBefore(element, after ?? null);
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

  function receive(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    if (message.type === "posts") {
      for (const item of message.posts) place(item);
      showBar();
    } else if (message.type === "reload") {
      status.textContent = texts.reload || "";
    }
  }

  function connect() {
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const lang = document.documentElement.lang || "";
    socket = new WebSocket(
      `${scheme}://${location.host}/ws/thread/${posts.dataset.thread}/?last=${last}&lang=${encodeURIComponent(lang)}`,
    );
    socket.addEventListener("open", () => {
      retry = RETRY_FIRST;
      status.textContent = "";
      posts.dataset.live = "open";
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", (event) => {
      socket = null;
      posts.dataset.live = "closed";
      if (event.code === 4404) {
        stopped = true;
        return;
      }
      status.textContent = texts.offline || "";
      // Spread reconnects out, so a restarted server is not met by every reader at once.
      setTimeout(connect, retry * (0.5 + Math.random()));
      retry = Math.min(retry * 2, RETRY_MOST);
    });
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") connect();
  });
  connect();
}

if (posts && posts.dataset.thread && "WebSocket" in window) start();
