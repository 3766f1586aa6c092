// Live preview for `bilingual serve`: reload after each good build; show a failed build's errors.
(function () {
  "use strict";
  var OVERLAY_ID = "bilingual-build-error";
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-version") : null;

  function overlay() {
    var box = document.getElementById(OVERLAY_ID);
    if (box) return box;
    box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.lang = "en";
    box.dir = "ltr";
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(29,35,39,.97);color:#fff;padding:2rem;font:15px/1.5 system-ui,sans-serif;";
    var heading = document.createElement("h2");
    heading.textContent = "The build failed";
    heading.style.cssText = "margin:0 0 1rem;font-size:1.3rem;color:#ff8a80;";
    var message = document.createElement("pre");
    message.style.cssText = "margin:0;white-space:pre-wrap;unicode-bidi:plaintext;" +
      "font:14px/1.6 ui-monospace,monospace;";
    var note = document.createElement("p");
    note.textContent = "Fix the file and save it: this page reloads by itself.";
    note.style.cssText = "margin:1.5rem 0 0;color:#c9d1d6;";
    box.append(heading, message, note);
    document.body.appendChild(box);
    return box;
  }

  function showError(text) {
    // textContent, never innerHTML: an error message quotes the user's content.
    overlay().querySelector("pre").textContent = text;
  }

  function hideError() {
    var box = document.getElementById(OVERLAY_ID);
    if (box) box.remove();
  }

  var events = new EventSource("/__bilingual__/events");
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.error) {
      showError(state.error);
    } else if (shown !== null && String(state.version) !== shown) {
      location.reload();
    } else {
      shown = String(state.version);
      hideError();
    }
  });
})();
