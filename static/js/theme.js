// Day/night switch, enhanced: switches in place instead of reloading, and keeps every open tab in
// step with the cookie. Without this module the same form posts, the server sets the cookie and
// redirects back, and the page renders in the chosen theme.
const COOKIE = "yoake_theme";
const root = document.documentElement;
const form = document.querySelector("[data-theme-switch]");
const button = form && form.querySelector("button[name=theme]");

function cookieTheme() {
  const match = document.cookie.match(new RegExp("(?:^|;\\s*)" + COOKIE + "=(day|night)"));
  return match ? match[1] : "night";
}

function show(theme) {
  root.dataset.theme = theme;
  const scheme = document.querySelector('meta[name="color-scheme"]');
  if (scheme) scheme.content = theme === "day" ? "light" : "dark";
  if (button) {
    // The button offers the other theme, labelled in the page's language.
    const other = theme === "day" ? "night" : "day";
    button.value = other;
    button.textContent = button.dataset[other + "Label"] || button.textContent;
  }
}

let plain = false;

if (form && button) {
  form.addEventListener("submit", async (event) => {
    if (plain) return;
    event.preventDefault();
    const chosen = button.value;
    const body = new FormData(form);
    body.set("theme", chosen);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.type !== "opaqueredirect" && !response.ok) throw new Error(String(response.status));
    } catch {
      plain = true; // let the server do it the plain way
      form.requestSubmit(button);
      return;
    }
    show(chosen);
  });
}

// A page restored from the back/forward cache, or a tab switched to, shows the current choice.
window.addEventListener("pageshow", () => show(cookieTheme()));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && cookieTheme() !== root.dataset.theme) show(cookieTheme());
});
