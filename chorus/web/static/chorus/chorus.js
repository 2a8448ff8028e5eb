/* Small behaviours on top of htmx. Every page works without this file. */
(function () {
  "use strict";

  // A refused htmx request (403, 404, 5xx) swaps nothing; say why in the status area.
  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    if (!flash) { return; }
    var xhr = event.detail.xhr;
    var text = "";
    if (xhr && xhr.responseText && xhr.getResponseHeader("Content-Type") &&
        xhr.getResponseHeader("Content-Type").indexOf("text/html") === 0) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var refusal = doc.querySelector("[data-refusal]");
      text = refusal ? refusal.textContent.trim() : "";
    }
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.textContent = text || (document.documentElement.dataset.genericError ||
      "Something went wrong. Reload the page and try again.");
    flash.replaceChildren(p);
  });

  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (!flash) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.textContent = document.documentElement.dataset.offlineError ||
      "The server could not be reached. Check your connection and try again.";
    flash.replaceChildren(p);
  });

  // Close an open menu when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) { summary.focus(); }
    });
  });

  // Copy buttons (for a new API token).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) { return; }
    var source = document.getElementById(button.dataset.copy);
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied || button.textContent;
    });
  });
})();
