/* The lab page, progressively enhanced: code editors, a file tree, autosave, mode switch.
 * Without JavaScript every form still posts normally. */
(function () {
  "use strict";
  var script = document.currentScript;
  var nonce = (script && (script.nonce || script.getAttribute("data-csp-nonce"))) || "";

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  function exploitModes() {
    var form = document.querySelector("[data-exploit-form]");
    if (!form) return;
    function show() {
      var checked = form.querySelector("input[name=mode]:checked");
      var mode = checked ? checked.value : "request";
      form.querySelectorAll("[data-mode-panel]").forEach(function (panel) {
        panel.hidden = panel.getAttribute("data-mode-panel") !== mode;
      });
    }
    form.querySelectorAll("input[name=mode]").forEach(function (radio) {
      radio.addEventListener("change", show);
    });
    show();
  }

  /* Only the workspace's files autosave: the exploit script is not part of the draft, so typing
   * in it must neither save the workspace nor mark the page as having unsaved changes. */
  function editors(workspace, onChange) {
    if (!window.PatchwiseEditor) return [];
    var created = [];
    document.querySelectorAll("textarea[data-code-editor]").forEach(function (area) {
      var readOnly = area.hasAttribute("data-readonly");
      var inWorkspace = workspace && workspace.contains(area);
      var editor = window.PatchwiseEditor.create(area, {
        readOnly: readOnly,
        nonce: nonce,
        onChange: readOnly || !inWorkspace ? function () {} : onChange,
      });
      // A long file scrolls inside the editor: its text must be reachable by keyboard (an
      // editable one is already in the tab order; a read-only one is not, without this).
      if (editor && editor.view) editor.view.contentDOM.setAttribute("tabindex", "0");
      created.push(editor);
    });
    return created;
  }

  /* A refused run (a form error, the rate limit) is drawn beside the button that sent it; count
   * down to the next allowed run. */
  function refusals() {
    var box = document.querySelector("[data-run-refused]");
    if (!box) return;
    // The form's action ends in the fragment of the box's block, so the browser scrolls there.
    box.focus({ preventScroll: true });
    var seconds = parseInt(box.getAttribute("data-retry-after") || "", 10);
    var text = box.querySelector("[data-refusal-text]");
    if (!seconds || !text) return;
    var live = document.createElement("p");
    live.className = "small countdown";
    live.setAttribute("aria-hidden", "true");
    box.appendChild(live);
    function tick() {
      if (seconds <= 0) {
        live.textContent = "You can run again now.";
        return;
      }
      live.textContent = "Next run allowed in " + seconds + " s.";
      seconds -= 1;
      setTimeout(tick, 1000);
    }
    tick();
  }

  function fileTree(workspace) {
    var links = workspace.querySelectorAll("[data-file-link]");
    var panes = workspace.querySelectorAll("[data-file-pane]");
    if (links.length < 2) return;
    function select(id, focus) {
      panes.forEach(function (pane) { pane.hidden = pane.getAttribute("data-file-pane") !== id; });
      links.forEach(function (link) {
        if (link.getAttribute("data-file-link") === id) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
      if (focus) {
        var target = workspace.querySelector('[data-file-pane="' + id + '"] .cm-content');
        if (target) target.focus();
      }
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        select(link.getAttribute("data-file-link"), true);
      });
    });
    select(links[0].getAttribute("data-file-link"), false);
  }

  function autosave(workspace) {
    var state = workspace.querySelector("[data-save-state]");
    var url = workspace.getAttribute("data-autosave-url");
    var timer = null;
    var dirty = false;
    function say(text) { if (state) state.textContent = text; }
    function save() {
      timer = null;
      var data = new FormData(workspace);
      data.set("action", "save");
      say("Saving…");
      return fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok && body.saved) {
            dirty = false;
            say("Draft saved at " + new Date().toLocaleTimeString());
          } else {
            say("Not saved: " + (body.error || "please try again."));
          }
        });
      }).catch(function () {
        say("Not saved: you seem to be offline. Your changes are still in the editor.");
      });
    }
    function changed() {
      dirty = true;
      say("Unsaved changes");
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 1200);
    }
    workspace.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s" && workspace.contains(document.activeElement)) {
        event.preventDefault();
        if (timer) clearTimeout(timer);
        save();
      }
    });
    return changed;
  }

  function init() {
    confirmForms();
    exploitModes();
    var workspace = document.querySelector("[data-workspace]");
    var onChange = workspace ? autosave(workspace) : function () {};
    editors(workspace, onChange);
    if (workspace) fileTree(workspace);
    refusals();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
