// Switches day/night in place. Without this module the same form posts and reloads the page.
const form = document.querySelector("[data-theme-switch]");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = event.submitter || form.querySelector("button[name=theme]");
    const body = new FormData(form);
    body.set("theme", button.value);
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin", redirect: "manual" });
    if (response.type !== "opaqueredirect" && !response.ok) {
      form.submit();
      return;
    }
    const next = button.value;
    document.documentElement.dataset.theme = next;
    const other = next === "day" ? "night" : "day";
    button.value = other;
    button.textContent = button.dataset[other + "Label"] || button.textContent;
  });
}
