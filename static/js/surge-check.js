// In a surge, a browser new to Yoake proves a little work before posting (forum/surge.py).
// The page already says how to post without JavaScript; here the vendored ALTCHA widget solves
// the challenge the page carries, in a worker served from this site, and the form goes again.
const box = document.querySelector("[data-surge-check]");
const widget = box?.querySelector("altcha-widget");

if (box && widget && globalThis.$altcha) {
  globalThis.$altcha.algorithms.set("SHA-256", () => new Worker(box.dataset.worker));
  const form = box.closest("form");
  let sent = false;
  widget.addEventListener("verified", () => {
    if (!sent) {
      sent = true;
      form.requestSubmit();
    }
  });
  customElements.whenDefined("altcha-widget").then(() => widget.verify());
}
