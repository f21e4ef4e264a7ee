// Anchor previews: hovering or tapping >>12 shows post 12 in a small box.
// Without this module the links are plain in-page jumps. The preview is a clone of server-rendered
// (already escaped) markup, or fetched from the thread's own page; no markup is built from text.
const posts = document.getElementById("posts");
let preview = null;
const fetched = new Map();

function closePreview() {
  if (preview) {
    preview.remove();
    preview = null;
  }
}

function numbersOf(spec) {
  const numbers = [];
  for (const part of spec.split(",")) {
    const [start, end] = part.split("-").map((n) => parseInt(n, 10));
    const last = Number.isInteger(end) ? end : start; // ">>5" has no end; ">>5-" neither
    for (let n = start; n <= last && numbers.length < 10; n += 1) numbers.push(n);
  }
  return numbers;
}

async function findPost(number) {
  const here = document.getElementById(`p${number}`);
  if (here) return here;
  if (!posts) return null;
  // On a partial page (l50, 1-100) the post may not be here: ask the thread for it.
  const url = `/test/read.cgi/${posts.dataset.thread}/${number}n`;
  if (!fetched.has(url)) {
    fetched.set(
      url,
      fetch(url, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => new DOMParser().parseFromString(html, "text/html").getElementById(`p${number}`)),
    );
  }
  return fetched.get(url);
}

async function showPreview(link) {
  const spec = link.dataset.anchor;
  if (!spec) return;
  const box = document.createElement("div");
  box.className = "anchor-preview";
  box.setAttribute("role", "tooltip");
  for (const number of numbersOf(spec)) {
    const post = await findPost(number);
    if (post) {
      const copy = post.cloneNode(true);
      copy.removeAttribute("id");
      box.append(copy);
    }
  }
  if (!box.childElementCount) return;
  closePreview();
  const rect = link.getBoundingClientRect();
  box.style.left = `${Math.max(4, rect.left + window.scrollX)}px`;
  box.style.top = `${rect.bottom + window.scrollY + 4}px`;
  document.body.append(box);
  // Near the bottom of a phone's screen the box opens above the link, so it never runs off.
  const height = box.getBoundingClientRect().height;
  if (rect.bottom + 4 + height > window.innerHeight && rect.top - 4 - height >= 0) {
    box.style.top = `${rect.top + window.scrollY - 4 - height}px`;
  }
  preview = box;
}

document.addEventListener("mouseover", (event) => {
  const link = event.target.closest("a.anchor");
  if (link) showPreview(link);
});
document.addEventListener("mouseout", (event) => {
  const link = event.target.closest("a.anchor");
  if (link && preview && !preview.contains(event.relatedTarget)) closePreview();
});
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.anchor");
  // On touch screens the first tap previews and a second tap on the same link jumps.
  if (link && window.matchMedia("(hover: none)").matches && preview?.dataset.for !== link.dataset.anchor) {
    event.preventDefault();
    showPreview(link).then(() => {
      if (preview) preview.dataset.for = link.dataset.anchor;
    });
    return;
  }
  if (preview && !preview.contains(event.target)) closePreview();
});
// Keyboard readers: focusing >>12 (Tab) previews it as hovering does; leaving it closes it.
document.addEventListener("focusin", (event) => {
  const link = event.target.closest?.("a.anchor");
  if (link) showPreview(link);
});
document.addEventListener("focusout", (event) => {
  if (event.target.closest?.("a.anchor")) closePreview();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") closePreview();
});
