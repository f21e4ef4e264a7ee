// Yoake's service worker, served at /sw.js by config/webapp.py so that it may answer for the
// whole site. It keeps one page for when there is no network: help-now, with its stylesheets.
// Network first: online, every reader gets the page fresh (its "open now" marks change by the
// minute) and the copy is renewed; offline, the last copy opens instead of an error. Every other
// request goes to the network as if there were no worker, so no page needs it to work.
const KEPT = {{ kept }};
const CACHE = `yoake-help-now-${KEPT.version}`;

self.addEventListener("install", (event) => {
  self.skipWaiting();
  // Kept at once, so that help-now opens offline even for a reader who has never opened it.
  // A failure here (the server restarting) must not stop the worker: the next visit keeps it.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([KEPT.page, ...KEPT.assets]))
      .catch(() => undefined),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(event, key) {
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(CACHE);
    // One copy, whatever the language or country asked for: the last one this reader saw.
    const kept = await cache.match(key, { ignoreSearch: true, ignoreVary: true });
    if (kept) return kept;
    throw error;
  }
}

// The help-now pages this worker has answered for: their stylesheets are kept too. Pages are
// sent with no referrer, so the page a request comes from is known by its client's id only.
const helpNowPages = new Set();

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === KEPT.page) {
    if (helpNowPages.size > 100) helpNowPages.clear(); // a worker lives minutes; this is a cap
    if (event.resultingClientId) helpNowPages.add(event.resultingClientId);
    event.respondWith(networkFirst(event, KEPT.page));
  } else if (
    KEPT.assets.includes(url.pathname) &&
    (helpNowPages.has(event.clientId) || !self.navigator.onLine)
  ) {
    event.respondWith(networkFirst(event, url.pathname));
  }
});
