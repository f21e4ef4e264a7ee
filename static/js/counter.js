// A live "N / MAX" under each posting field that has a limit (data-max, forum/forms.py), so a
// writer sees that a post is too long before sending it. forum.composing still decides; this
// counts as it does (code points after NFC, lines trimmed at their end), and the form works the
// same without it. A screen reader hears the warning once, as the limit nears or passes
// (aria-live="polite"), never on every key. The words are the form's data- attributes, which
// the template translates.
const NEAR = 0.9;

function cleanLine(value) {
  return value.normalize("NFC").replace(/\r\n?|[\n\t\u2028\u2029\x85]/g, " ").trim();
}

function cleanBody(value) {
  return value
    .normalize("NFC")
    .replace(/\r\n?|[\u2028\u2029\x85]/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/^\n+|\n+$/g, "");
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => String(values[name] ?? whole));
}

function attach(form, field) {
  const words = form.dataset;
  const max = Number(field.dataset.max);
  const maxLines = Number(field.dataset.maxLines || 0);
  const multiline = field.tagName === "TEXTAREA";

  const counter = document.createElement("p");
  counter.className = "char-counter";
  counter.id = `${field.id}-counter`;
  // Outside the counter, which may be hidden: a live region must stay in place to be heard.
  const spoken = document.createElement("span");
  spoken.className = "visually-hidden";
  spoken.setAttribute("aria-live", "polite");
  field.after(counter, spoken);
  const described = field.getAttribute("aria-describedby");
  field.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);

  let state = "";
  const update = () => {
    const text = multiline ? cleanBody(field.value) : cleanLine(field.value);
    const count = Array.from(text).length;
    const lines = text ? text.split("\n").length : 0;
    let next = "ok";
    let warning = "";
    if (count > max) {
      next = "over";
      warning = fill(words.counterOver, { over: count - max });
    } else if (maxLines && lines > maxLines) {
      next = "over";
      warning = fill(words.counterLines, { lines, max: maxLines });
    } else if (count >= max * NEAR) {
      next = "near";
      warning = fill(words.counterLeft, { left: max - count });
    } else if (maxLines && lines >= maxLines * NEAR) {
      next = "near";
      warning = fill(words.counterLines, { lines, max: maxLines });
    }
    counter.textContent = `${count} / ${max}${warning ? ` · ${warning}` : ""}`;
    counter.dataset.state = next;
    // One-line fields are short: their counter shows only once it has something to say.
    counter.hidden = !multiline && next === "ok";
    if (next !== state) {
      spoken.textContent = warning;
      state = next;
    }
  };
  field.addEventListener("input", update);
  update();
}

for (const form of document.querySelectorAll("form[data-counter-left]")) {
  for (const field of form.querySelectorAll("[data-max]")) {
    if (field.id) attach(form, field);
  }
}
