// Lets help-now open without a network: the worker at /sw.js (config/webapp.py) keeps that page
// and its stylesheets, and nothing else. Without this module, or in a browser without service
// workers, every page works the same.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
}
