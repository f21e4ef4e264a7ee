// Tells the server the browser's time zone (cookie yoake_tz), so the help lines of the reader's
// country come first. Without it the page still works: the server guesses from the language,
// and the country form changes the order.
const TZ_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/;
const ONE_YEAR = 365 * 24 * 3600;

function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

const tz = browserTimeZone();
if (tz && tz.length <= 64 && TZ_SHAPE.test(tz)) {
  const secure = location.protocol === "https:" ? "; secure" : "";
  document.cookie = `yoake_tz=${tz}; path=/; max-age=${ONE_YEAR}; samesite=lax${secure}`;

  const page = document.querySelector("[data-helpnow]");
  const params = new URLSearchParams(location.search);
  const chosen = params.has("country") || params.has("tz");
  const stored = document.cookie.split("; ").includes(`yoake_tz=${tz}`);
  if (page && page.dataset.tz !== tz && !chosen && stored) {
    // Reload once so the server can put the right country first; the guard stops a loop if
    // the server ignores the cookie for any reason.
    let reloaded = false;
    try {
      reloaded = sessionStorage.getItem("yoake_tz_reloaded") === tz;
      sessionStorage.setItem("yoake_tz_reloaded", tz);
    } catch {
      reloaded = true;
    }
    if (!reloaded) location.reload();
  }
}
