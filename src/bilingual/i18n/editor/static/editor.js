// Save an entry without leaving the page; keep every form's version in step with the file.
"use strict";

const STATE_NAMES = { translated: "Translated", fuzzy: "Fuzzy", missing: "Untranslated" };

function sentence(text) {
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".");
}

function showStatus(form, text, isError) {
  const status = form.querySelector("[data-status]");
  status.textContent = text;
  status.classList.toggle("error", Boolean(isError));
  status.setAttribute("role", isError ? "alert" : "status");
}

function updateProgress(progress) {
  for (const [name, value] of Object.entries(progress)) {
    for (const element of document.querySelectorAll(`[data-count="${name}"]`)) {
      element.textContent = String(value);
    }
  }
  const bar = document.querySelector("[data-progress] progress");
  if (bar) {
    bar.max = progress.total;
    bar.value = progress.translated;
  }
}

// The reasons a save was refused, each under the field it is about.
function showFieldErrors(form, fields) {
  for (const message of form.querySelectorAll("[data-field-error]")) {
    const problems = fields[message.dataset.fieldError] || [];
    message.textContent = problems.map(sentence).join(" ");
    message.hidden = problems.length === 0;
    const field = form.querySelector(`[aria-describedby="${message.id}"]:not([hidden])`);
    if (field) field.setAttribute("aria-invalid", String(problems.length > 0));
  }
}

async function save(form) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  showFieldErrors(form, {});
  showStatus(form, "Saving…", false);
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)),
    });
    const result = await response.json();
    if (!result.saved) {
      showFieldErrors(form, result.fields || {});
      const parts = [result.error, result.hint].filter(Boolean).map(sentence);
      showStatus(form, parts.join(" "), true);
      return;
    }
    for (const input of document.querySelectorAll("[data-version]")) {
      input.value = result.version;
    }
    const entry = form.closest(".entry");
    entry.dataset.state = result.state;
    entry.querySelector("[data-badge]").textContent = STATE_NAMES[result.state] || result.state;
    entry.querySelector(".previous")?.remove();
    updateProgress(result.progress);
    form.dataset.dirty = "";
    showStatus(form, "Saved", false);
  } catch (error) {
    showStatus(form, `Not saved: ${error.message}`, true);
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest(".entry-form");
  if (!form) return;
  event.preventDefault();
  save(form);
});

document.addEventListener("input", (event) => {
  const form = event.target.closest(".entry-form");
  if (!form) return;
  form.dataset.dirty = "1";
  showStatus(form, "Not saved yet", false);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    const form = event.target.closest(".entry-form");
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
  }
});

window.addEventListener("beforeunload", (event) => {
  if (document.querySelector(".entry-form[data-dirty='1']")) event.preventDefault();
});
