// Show the source's placeholders and tags in a translation field as protected tokens, each
// isolated left to right, so "%(minutes)s" next to Persian does not read "s(minutes)%".
// The form's <textarea> stays the field's value: the text it holds is exactly what was typed.
"use strict";

const patterns = new WeakMap(); // field -> the pattern of its entry's tokens

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function tokenPattern(tokens) {
  const longestFirst = [...tokens].sort((a, b) => b.length - a.length);
  return new RegExp(`(${longestFirst.map(escapeRegExp).join("|")})`, "g");
}

function tokenElement(token) {
  const element = document.createElement("span");
  element.className = "token";
  element.dir = "ltr";
  element.contentEditable = "false";
  element.dataset.token = token;
  element.textContent = token;
  return element;
}

// The text of a node as typed: tokens by their source text, line breaks as "\n".
function textOf(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.data;
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return "";
  if (node.dataset && node.dataset.token !== undefined) return node.dataset.token;
  if (node.nodeName === "BR") return "\n";
  let text = "";
  for (const child of node.childNodes) {
    const blockStart = child.nodeName === "DIV" || child.nodeName === "P";
    if (blockStart && text && !text.endsWith("\n")) text += "\n";
    text += textOf(child);
  }
  return text;
}

function render(field, text, pattern) {
  field.replaceChildren();
  text.split(pattern).forEach((part, index) => {
    if (!part) return;
    field.append(index % 2 ? tokenElement(part) : document.createTextNode(part));
  });
  // A final line break shows only when something follows it.
  if (text.endsWith("\n")) field.append(document.createElement("br"));
}

function caretOffset(field) {
  const selection = window.getSelection();
  if (!selection.rangeCount || !field.contains(selection.anchorNode)) return null;
  const range = selection.getRangeAt(0).cloneRange();
  range.setStart(field, 0);
  return textOf(range.cloneContents()).length;
}

function placeCaret(field, offset) {
  let left = offset;
  const range = document.createRange();
  for (const child of field.childNodes) {
    const length = textOf(child).length;
    if (child.nodeType === Node.TEXT_NODE && left <= length) {
      range.setStart(child, left);
      break;
    }
    if (left < length || (left === length && child.nodeType !== Node.TEXT_NODE)) {
      range.setStartAfter(child);
      break;
    }
    left -= length;
    range.setStartAfter(child);
  }
  range.collapse(true);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function tokensShown(field) {
  return [...field.querySelectorAll("[data-token]")].map((element) => element.dataset.token);
}

function tokensIn(text, pattern) {
  return text.split(pattern).filter((_, index) => index % 2);
}

function enhance(textarea, pattern) {
  const field = document.createElement("div");
  field.className = "token-field";
  field.contentEditable = "plaintext-only";
  if (field.contentEditable !== "plaintext-only") return null; // keep the plain textarea
  field.setAttribute("role", "textbox");
  field.setAttribute("aria-multiline", "true");
  field.setAttribute("aria-labelledby", `${textarea.id}-label`);
  field.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
  field.lang = textarea.lang;
  field.dir = textarea.dir;
  field.spellcheck = true;
  field.dataset.field = textarea.name;
  field.id = textarea.id;
  textarea.id = `${textarea.id}-value`;
  textarea.hidden = true;
  textarea.before(field);
  patterns.set(field, pattern);
  render(field, textarea.value, pattern);

  field.addEventListener("input", () => {
    const text = textOf(field);
    const shown = tokensShown(field);
    const wanted = tokensIn(text, pattern);
    if (shown.join("\u0000") !== wanted.join("\u0000") || field.querySelector("div, p")) {
      const caret = caretOffset(field);
      render(field, text, pattern);
      if (caret !== null) placeCaret(field, caret);
    }
    textarea.value = text;
  });
  document.querySelector(`label[for="${field.id}"]`)?.addEventListener("click", () => field.focus());
  return field;
}

function insertToken(field, token) {
  const text = textOf(field);
  const caret = caretOffset(field) ?? text.length;
  field.focus();
  render(field, text.slice(0, caret) + token + text.slice(caret), patterns.get(field));
  placeCaret(field, caret + token.length);
  field.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
}

for (const translation of document.querySelectorAll(".translation[data-tokens]")) {
  const tokens = JSON.parse(translation.dataset.tokens);
  const pattern = tokenPattern(tokens);
  const fields = [...translation.querySelectorAll("textarea")].map((area) => enhance(area, pattern));
  const palette = translation.querySelector(".token-palette");
  if (!palette || fields.includes(null)) continue;
  let lastField = fields[0];
  for (const field of fields) field.addEventListener("focus", () => { lastField = field; });
  palette.hidden = false;
  palette.addEventListener("mousedown", (event) => event.preventDefault()); // keep the caret
  palette.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert]");
    if (button) insertToken(lastField, button.dataset.insert);
  });
}
