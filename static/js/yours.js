// "Delete my post" on this reader's own posts only. The thread page is the same for every
// reader (it is cached), and the poster cookie is HttpOnly, so the page asks the server once
// which of its posts this browser wrote (forum/yours.py) and shows the link on those. Without
// this module the link stays hidden; the thread's "Your posts" page lists them instead.
const posts = document.getElementById("posts");

function reveal(mine) {
  for (const article of posts.querySelectorAll("article[data-number]")) {
    if (!mine.has(Number(article.dataset.number))) continue;
    for (const action of article.querySelectorAll("[data-yours]")) action.hidden = false;
  }
}

async function start() {
  const [board, key] = (posts.dataset.thread || "").split("/");
  if (!board || !key) return;
  let mine;
  try {
    const response = await fetch(`/post/${encodeURIComponent(board)}/${encodeURIComponent(key)}/yours/`, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    mine = new Set((await response.json()).numbers || []);
  } catch {
    return; // offline: the links simply stay hidden
  }
  if (!mine.size) return;
  reveal(mine);
  // Live updates replace or add posts: the new markup comes with the link hidden again.
  new MutationObserver(() => reveal(mine)).observe(posts, { childList: true });
}

if (posts) start();
