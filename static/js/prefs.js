// A reader's own view of the shared pages: mute words fold posts away, hidden threads leave the
// board list, and the watch button knows what is watched. Thread and board pages are cached and
// the same for every reader, so this happens here, over the server-rendered page. An account's
// preferences come from /accounts/prefs.json; a visitor's stay in this browser's localStorage.
// Without JavaScript every post and every thread simply shows.
const STORE = "yoake.prefs";
const MUTE_WORDS_MAX = 50;
const MUTE_WORD_LENGTH_MAX = 40;
const THREAD_LINK = /\/test\/read\.cgi\/([a-z0-9_]+)\/(\d+)\//;

function readLocal() {
  try {
    return JSON.parse(localStorage.getItem(STORE)) || {};
  } catch {
    return {};
  }
}

function writeLocal(changes) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ ...readLocal(), ...changes }));
  } catch {
    // Private mode or storage full: the choice holds for this page only.
  }
}

async function load() {
  let server = null;
  try {
    const response = await fetch("/accounts/prefs.json", {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    });
    if (response.ok) server = await response.json();
  } catch {
    // Offline or refused: a visitor's own preferences still apply.
  }
  const stored = readLocal();
  const signedIn = Boolean(server && server.signed_in);
  return {
    signedIn,
    labels: (server && server.labels) || {},
    muteWords: (signedIn ? server.mute_words : stored.mute_words) || [],
    hidden: new Set((signedIn ? server.hidden_threads : stored.hidden_threads) || []),
    watched: new Set((server && server.watched) || []),
  };
}

function post(url, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return fetch(url, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
}

// --- Mute words -------------------------------------------------------------------------------

function matcher(words) {
  const lowered = words.map((word) => word.toLocaleLowerCase()).filter(Boolean);
  return (text) => {
    const haystack = text.toLocaleLowerCase();
    return lowered.some((word) => haystack.includes(word));
  };
}

function fold(article, matches, labels) {
  if (article.dataset.muteChecked || article.classList.contains("deleted")) return;
  article.dataset.muteChecked = "1";
  const body = article.querySelector(".post-body");
  if (!body || !matches(body.textContent)) return;
  article.classList.add("muted-post");
  const note = document.createElement("p");
  note.className = "muted mute-note";
  note.textContent = labels.muted || "";
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.textContent = labels.show || "+";
  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", () => {
    const folded = article.classList.toggle("muted-post");
    toggle.textContent = folded ? labels.show : labels.hide_again;
    toggle.setAttribute("aria-expanded", String(!folded));
  });
  note.append(" ", toggle);
  body.before(note);
}

function applyMuteWords(prefs) {
  const posts = document.getElementById("posts");
  if (!posts || prefs.muteWords.length === 0) return;
  const matches = matcher(prefs.muteWords);
  const foldAll = (root) => root.querySelectorAll("article.post").forEach((a) => fold(a, matches, prefs.labels));
  foldAll(posts);
  // Posts that arrive live (or are replaced by a placeholder) are checked as they come.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches("article.post")) fold(node, matches, prefs.labels);
        else foldAll(node);
      }
    }
  }).observe(posts, { childList: true, subtree: true });
}

// --- Hidden threads on board lists --------------------------------------------------------------

function applyHiddenThreads(prefs) {
  const tables = document.querySelectorAll("table.threads");
  if (tables.length === 0 || document.querySelector("[data-hidden-page]")) return;
  const labels = prefs.labels;
  let revealed = false;
  const rows = [];
  for (const table of tables) {
    for (const row of table.querySelectorAll("tbody tr")) {
      const link = row.querySelector("a[href]");
      const match = link && link.getAttribute("href").match(THREAD_LINK);
      if (match) rows.push({ row, name: `${match[1]}/${match[2]}`, cell: link.closest("td") });
    }
  }
  if (rows.length === 0) return;

  const reveal = document.createElement("button");
  reveal.type = "button";
  reveal.className = "show-hidden-threads";
  tables[tables.length - 1].after(reveal);

  function render() {
    let count = 0;
    for (const { row, name, button } of rows) {
      const hidden = prefs.hidden.has(name);
      if (hidden) count += 1;
      row.hidden = hidden && !revealed;
      button.textContent = hidden ? labels.unhide || "+" : labels.hide_thread || "×";
    }
    reveal.hidden = count === 0;
    reveal.textContent = (revealed ? labels.hide_hidden || "" : labels.show_hidden || "").replace(
      "%(count)s",
      String(count),
    );
  }

  async function toggle(name) {
    const hide = !prefs.hidden.has(name);
    if (prefs.signedIn) {
      const response = await post("/accounts/hidden/", { thread: name, action: hide ? "hide" : "unhide" });
      if (!response.ok) return;
    }
    if (hide) prefs.hidden.add(name);
    else prefs.hidden.delete(name);
    if (!prefs.signedIn) writeLocal({ hidden_threads: [...prefs.hidden] });
    render();
  }

  for (const entry of rows) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "hide-thread";
    button.title = labels.hide_thread_title || "";
    button.addEventListener("click", () => toggle(entry.name));
    entry.cell.append(" ", button);
    entry.button = button;
  }
  reveal.addEventListener("click", () => {
    revealed = !revealed;
    render();
  });
  render();
}

// --- Watching a thread --------------------------------------------------------------------------

function applyWatchButton(prefs) {
  const form = document.querySelector("form[data-watch-form]");
  const button = form && form.querySelector("[data-watch-button]");
  const posts = document.getElementById("posts");
  if (!form || !button) return;
  const name = form.elements.thread.value;
  // Not `form.action`: the form has a button named "action", which that property would return.
  const url = form.getAttribute("action");

  function render() {
    const watched = prefs.watched.has(name);
    button.value = watched ? "unwatch" : "watch";
    button.textContent = watched ? prefs.labels.unwatch : prefs.labels.watch;
    button.setAttribute("aria-pressed", String(watched));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const action = button.value;
    try {
      const response = await post(url, { thread: name, action });
      if (!response.ok) throw new Error(String(response.status));
    } catch {
      form.submit(); // the plain way: the server answers with a page and a message
      return;
    }
    if (action === "watch") prefs.watched.add(name);
    else prefs.watched.delete(name);
    render();
  });
  if (prefs.labels.watch) render();
  // Reading a watched thread counts as a visit: its new posts are seen now.
  if (prefs.watched.has(name) && posts && posts.dataset.last) {
    post(url, { thread: name, action: "seen", seen: posts.dataset.last }).catch(() => {});
  }
}

// --- A visitor's settings page ------------------------------------------------------------------

function applyVisitorSettings(prefs) {
  const form = document.querySelector("form[data-local-prefs]");
  if (form) {
    const words = form.querySelector("textarea");
    const saved = form.querySelector("[data-local-saved]");
    words.value = (readLocal().mute_words || []).join("\n");
    form.hidden = false;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const kept = [];
      for (const line of words.value.split("\n")) {
        const word = line.trim().slice(0, MUTE_WORD_LENGTH_MAX);
        if (word && !kept.some((w) => w.toLocaleLowerCase() === word.toLocaleLowerCase())) kept.push(word);
      }
      writeLocal({ mute_words: kept.slice(0, MUTE_WORDS_MAX) });
      words.value = kept.slice(0, MUTE_WORDS_MAX).join("\n");
      if (saved) saved.hidden = false;
    });
  }
  const count = document.querySelector("[data-local-hidden-count]");
  const clear = document.querySelector("[data-local-clear-hidden]");
  if (count && clear) {
    const show = () => {
      const n = (readLocal().hidden_threads || []).length;
      count.textContent = (prefs.labels.hidden_count || "%(count)s").replace("%(count)s", String(n));
      count.hidden = false;
      clear.hidden = n === 0;
    };
    clear.addEventListener("click", () => {
      writeLocal({ hidden_threads: [] });
      show();
    });
    show();
  }
}

const prefs = await load();
applyMuteWords(prefs);
applyHiddenThreads(prefs);
applyWatchButton(prefs);
if (!prefs.signedIn) applyVisitorSettings(prefs);
