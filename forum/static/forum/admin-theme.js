// The admin in the site's theme: night (the default) is the admin's dark mode, day its light one.
// A theme the moderator picks with the admin's own switch (light or dark) still wins.
(() => {
  const picked = localStorage.getItem("theme");
  if (picked === "light" || picked === "dark") return;
  const match = document.cookie.match(/(?:^|;\s*)yoake_theme=(day|night)/);
  document.documentElement.dataset.theme = match && match[1] === "day" ? "light" : "dark";
})();
