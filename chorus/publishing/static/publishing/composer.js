/* The composer in place: network tabs, adding and removing thread parts and attachments,
   uploading files, and filling in a suggested time. Counting and checking stay on the
   server (the form's htmx live check); every button here also works without this file,
   by submitting the form. */
(function () {
  "use strict";

  function composer() { return document.getElementById("composer-form"); }

  function refresh(form) {
    if (window.htmx) { window.htmx.trigger(form, "composer-refresh"); }
  }

  // Tabs: one per network of the chosen accounts ----------------------------------------
  function chosenNetworks(form) {
    var chosen = {};
    form.querySelectorAll('input[name="accounts"]:checked').forEach(function (box) {
      chosen[box.dataset.network] = true;
    });
    return chosen;
  }

  function panelWithProblems(form) {
    var panels = form.querySelectorAll("[data-panel-network]");
    for (var i = 0; i < panels.length; i++) {
      if (panels[i].querySelector('[aria-invalid="true"], .composer-errors:not(:empty)')) {
        return panels[i].dataset.panelNetwork;
      }
    }
    return "";
  }

  function showTabs(form, wanted) {
    var tablist = form.querySelector(".composer-tabs");
    var section = form.querySelector(".composer-networks");
    if (!tablist || !section) { return; }
    var chosen = chosenNetworks(form);
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
    var visible = tabs.filter(function (tab) { return chosen[tab.dataset.tabNetwork]; });
    var current = wanted || tablist.dataset.current || panelWithProblems(form);
    if (!visible.some(function (tab) { return tab.dataset.tabNetwork === current; })) {
      current = visible.length ? visible[0].dataset.tabNetwork : "";
    }
    tablist.dataset.current = current;
    tablist.hidden = false;
    section.hidden = visible.length === 0;
    tabs.forEach(function (tab) {
      var on = tab.dataset.tabNetwork === current;
      tab.hidden = !chosen[tab.dataset.tabNetwork];
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
    });
    form.querySelectorAll("[data-panel-network]").forEach(function (panel) {
      panel.hidden = panel.dataset.panelNetwork !== current;
    });
  }

  function moveTab(form, tab, step) {
    var tabs = Array.prototype.slice.call(
      form.querySelectorAll('.composer-tabs [role="tab"]:not([hidden])'));
    var next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    if (next) { showTabs(form, next.dataset.tabNetwork); next.focus(); }
  }

  // Thread parts ----------------------------------------------------------------------
  function renumberThread(form, block) {
    var network = block.dataset.thread;
    var parts = block.querySelectorAll("[data-part]");
    var first = block.querySelector("[data-text-label]");
    if (first) { first.textContent = parts.length ? first.dataset.first : first.dataset.single; }
    parts.forEach(function (part, index) {
      var n = index + 1;
      var id = "f-v-" + network + "-thread-" + n;
      var errors = part.querySelector(".composer-errors");
      var area = part.querySelector("textarea");
      var label = part.querySelector("label");
      var remove = part.querySelector("[data-remove-part]");
      label.htmlFor = id;
      label.textContent = form.dataset.textPart + " " + (n + 1);
      area.id = id;
      errors.id = "err-v-" + network + "-thread-" + n;
      area.setAttribute("aria-describedby", errors.id);
      remove.value = "remove-part:" + network + ":" + n;
      remove.setAttribute("aria-label", form.dataset.textRemove + " " + (n + 1));
    });
  }

  function addPart(form, block) {
    var list = block.querySelector("[data-parts]");
    if (!list) { return; }
    var part = document.createElement("li");
    part.className = "field thread-part";
    part.setAttribute("data-part", "");
    var label = document.createElement("label");
    var area = document.createElement("textarea");
    area.name = "v-" + block.dataset.thread + "-thread";
    area.rows = 3;
    var errors = document.createElement("div");
    errors.className = "composer-errors";
    var remove = document.createElement("button");
    remove.type = "submit";
    remove.name = "action";
    remove.className = "button-small button-secondary";
    remove.setAttribute("data-remove-part", "");
    remove.textContent = form.dataset.textRemove;
    part.append(label, area, errors, remove);
    list.appendChild(part);
    renumberThread(form, block);
    area.focus();
  }

  // Attachments -----------------------------------------------------------------------
  function renumberMedia(form) {
    form.querySelectorAll("[data-media-item]").forEach(function (item, index) {
      var alt = item.querySelector("[data-media-alt]");
      var area = alt.querySelector('textarea[name="media_alt"]');
      var errors = alt.querySelector(".composer-errors");
      area.id = "f-media-" + index;
      alt.querySelector("label").htmlFor = area.id;
      errors.id = "err-media-" + index;
      area.setAttribute("aria-describedby", errors.id);
      var focus = item.querySelector("[data-media-focus]");
      var input = focus.querySelector('input[name="media_focus"]');
      var focusErrors = focus.querySelector(".composer-errors");
      var help = focus.querySelector(".help");
      input.id = "f-media-" + index + "-focus";
      focus.querySelector("label").htmlFor = input.id;
      focusErrors.id = "err-media-" + index + "-focus";
      help.id = input.id + "-help";
      input.setAttribute("aria-describedby", focusErrors.id + " " + help.id);
      item.querySelector("[data-remove-media]").value = "remove-media:" + index;
    });
  }

  // A click on the picture sets Mastodon's focus point there: x from -1 (left) to 1
  // (right), y from 1 (top) to -1 (bottom), measured on the whole picture as drawn.
  function pickFocus(form, image, event) {
    var item = image.closest("[data-media-item]");
    var input = item && item.querySelector('input[name="media_focus"]');
    if (!input || !image.naturalWidth || !image.naturalHeight) { return; }
    var box = image.getBoundingClientRect();
    var scale = Math.min(box.width / image.naturalWidth, box.height / image.naturalHeight);
    var width = image.naturalWidth * scale;
    var height = image.naturalHeight * scale;
    var left = box.left + (box.width - width) / 2;
    var top = box.top + (box.height - height) / 2;
    function clamp(value) { return Math.max(-1, Math.min(1, Math.round(value * 100) / 100)); }
    var x = clamp(((event.clientX - left) / width) * 2 - 1);
    var y = clamp(1 - ((event.clientY - top) / height) * 2);
    input.value = x + ", " + y;
    input.focus();
    refresh(form);
  }

  function addMedia(form, asset) {
    var template = document.getElementById("composer-media-template");
    var list = form.querySelector("[data-media-list]");
    if (!template || !list) { return; }
    var item = template.content.querySelector("[data-media-item]").cloneNode(true);
    item.querySelector('input[name="media_id"]').value = asset.id;
    var thumb = item.querySelector("[data-media-thumb]");
    thumb.textContent = "";
    if (asset.thumbnail_url) {
      var image = document.createElement("img");
      image.src = asset.thumbnail_url;
      image.alt = "";
      thumb.appendChild(image);
    } else {
      thumb.textContent = asset.kind;
    }
    item.querySelector("[data-media-name]").textContent =
      form.dataset.textAlt + " · " + asset.original_name;
    item.querySelector('textarea[name="media_alt"]').value = asset.alt_text || "";
    list.appendChild(item);
    renumberMedia(form);
  }

  function upload(form, file, status) {
    var body = new FormData();
    body.append("file", file);
    var token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
    status.textContent = form.dataset.textUploading + " " + file.name;
    status.classList.remove("field-error");
    return fetch(form.dataset.uploadUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (!answer.ok) {
        status.textContent = file.name + ": " + (answer.data.detail || "");
        status.classList.add("field-error");
        return;
      }
      addMedia(form, answer.data);
      status.textContent = form.dataset.textUploaded + " " + file.name;
      refresh(form);
    }).catch(function () {
      status.textContent = document.documentElement.dataset.offlineError || "";
      status.classList.add("field-error");
    });
  }

  // Wiring ----------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var form = composer();
    if (!form || !form.contains(event.target)) { return; }
    var target = event.target;
    var tab = target.closest('[role="tab"][data-tab-network]');
    if (tab) { showTabs(form, tab.dataset.tabNetwork); return; }
    var add = target.closest("[data-add-part]");
    if (add) {
      event.preventDefault();
      addPart(form, add.closest("[data-thread]"));
      refresh(form);
      return;
    }
    var removePart = target.closest("[data-remove-part]");
    if (removePart) {
      event.preventDefault();
      var block = removePart.closest("[data-thread]");
      removePart.closest("[data-part]").remove();
      renumberThread(form, block);
      refresh(form);
      return;
    }
    var thumbImage = target.closest("[data-media-thumb] img");
    if (thumbImage) { pickFocus(form, thumbImage, event); return; }
    var removeMedia = target.closest("[data-remove-media]");
    if (removeMedia) {
      event.preventDefault();
      removeMedia.closest("[data-media-item]").remove();
      renumberMedia(form);
      refresh(form);
      return;
    }
    var useTime = target.closest("[data-use-time]");
    if (useTime) {
      event.preventDefault();
      form.elements.date.value = useTime.dataset.useTime.slice(0, 10);
      form.elements.time.value = useTime.dataset.useTime.slice(11, 16);
      form.elements.time.focus();
      refresh(form);
    }
  });

  document.addEventListener("keydown", function (event) {
    var form = composer();
    var tab = event.target.closest && event.target.closest('.composer-tabs [role="tab"]');
    if (!form || !tab) { return; }
    if (event.key === "ArrowRight") { event.preventDefault(); moveTab(form, tab, 1); }
    if (event.key === "ArrowLeft") { event.preventDefault(); moveTab(form, tab, -1); }
  });

  document.addEventListener("change", function (event) {
    var form = composer();
    if (!form || !form.contains(event.target)) { return; }
    if (event.target.name === "accounts") { showTabs(form); }
    if (event.target.matches("[data-upload-input]")) {
      var status = document.getElementById("composer-upload-status");
      var files = Array.prototype.slice.call(event.target.files);
      event.target.value = "";
      files.reduce(function (previous, file) {
        return previous.then(function () { return upload(form, file, status); });
      }, Promise.resolve());
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = composer();
    if (form) { showTabs(form); }
  });
})();
