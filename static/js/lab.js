/* The lab page, progressively enhanced into a workspace: code editors with file tabs and a tree,
 * autosave, the exploit mode switch, resizable panes (tabs on a phone), runs shown in place in the
 * test output panel, and keyboard shortcuts. Without JavaScript every form still posts normally
 * and the page is one column. */
(function () {
  "use strict";
  var script = document.currentScript;
  var nonce = (script && (script.nonce || script.getAttribute("data-csp-nonce"))) || "";

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]:not([data-confirm-bound])").forEach(function (form) {
      form.setAttribute("data-confirm-bound", "");
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
   * in it must neither save the workspace nor mark the page as having unsaved changes.
   * An editor is made when its textarea is first shown, or when wakeEditors(box) asks for those
   * in box: making one takes tens of milliseconds (hundreds on a phone) and most files are never
   * opened, so making them all at load blocked the page for seconds. The editor bundle itself
   * (data-editor-src, 150 KB compressed) is fetched when the first editor is needed, so a phone
   * showing the brief tab runs none of it. Until then the textarea holds the text, so forms and
   * autosave read the same values either way, and a focused textarea hands its focus on. */
  var wakeEditors = function () {};
  function editors(workspace, onChange) {
    var src = script && script.getAttribute("data-editor-src");
    if (!window.PatchwiseEditor && !src) return;
    var observer = null;
    var waiting = [];
    var loading = false;
    function loadBundle() {
      if (loading) return;
      loading = true;
      var tag = document.createElement("script");
      tag.src = src;
      tag.nonce = nonce;
      tag.onload = function () {
        var queue = waiting;
        waiting = [];
        queue.forEach(make);
      };
      document.head.appendChild(tag);
    }
    function make(area) {
      if (area.hasAttribute("data-editor-made")) return;
      if (!window.PatchwiseEditor) {
        if (waiting.indexOf(area) < 0) waiting.push(area);
        loadBundle();
        return;
      }
      area.setAttribute("data-editor-made", "");
      if (observer) observer.unobserve(area);
      var hadFocus = document.activeElement === area;
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
      if (hadFocus && editor && editor.focus) editor.focus();
    }
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) { if (entry.isIntersecting) make(entry.target); });
      }, { rootMargin: "200px" });
    }
    document.querySelectorAll("textarea[data-code-editor]").forEach(function (area) {
      if (observer) observer.observe(area);
      else make(area);
    });
    wakeEditors = function (box) {
      if (box) box.querySelectorAll("textarea[data-code-editor]").forEach(make);
    };
  }

  /* A refused run (a form error, the rate limit) is drawn beside the button that sent it; count
   * down to the next allowed run. */
  function refusals(box) {
    box = box || document.querySelector("[data-run-refused]");
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
      if (!live.isConnected) return;
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

  /* Arrow keys, Home and End move between the tabs of a tablist (and select the one reached). */
  function tabKeys(list, activate) {
    list.addEventListener("keydown", function (event) {
      var tabs = Array.prototype.filter.call(list.querySelectorAll('[role="tab"]'), function (t) {
        return !t.hidden;
      });
      var i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      next = (next + tabs.length) % tabs.length;
      tabs[next].focus();
      activate(tabs[next]);
    });
  }

  function selectTab(list, tab) {
    list.querySelectorAll('[role="tab"]').forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
    });
  }

  /* The file tree (folders as nested groups) opens files; the files opened so far are tabs above
   * the editor, each with a close button (Delete on a focused tab closes it too). Closing a tab
   * only hides its editor: the text stays in the form, saved and sent as before. */
  function fileTree(workspace) {
    var links = workspace.querySelectorAll("[data-file-link]");
    var panes = workspace.querySelectorAll("[data-file-pane]");
    var holder = workspace.querySelector(".file-panes");
    var empty = workspace.querySelector("[data-empty-editor]");
    if (!links.length || !holder) return;
    // The tab list is laid out "contents": its tabs and the close buttons (which a tab list may
    // not hold) share one row, each close button drawn after its tab.
    var bar = document.createElement("div");
    bar.className = "file-tabs";
    var list = document.createElement("div");
    list.className = "file-tablist";
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", "Open files");
    bar.appendChild(list);
    holder.insertBefore(bar, holder.firstChild);
    var current = null;
    var opened = 0;
    var unfold = function () {};

    function linkFor(id) { return workspace.querySelector('[data-file-link="' + id + '"]'); }
    function tabFor(id) { return list.querySelector('[data-file-tab="' + id + '"]'); }
    function closerFor(id) { return bar.querySelector('[data-file-close="' + id + '"]'); }
    function open(id) {
      var tab = tabFor(id);
      if (tab) return tab;
      var link = linkFor(id);
      var name = link.querySelector(".file-name").textContent;
      var path = link.getAttribute("data-path") || name;
      tab = document.createElement("button");
      tab.type = "button";
      tab.id = "file-tab-" + id;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", "file-" + id);
      tab.setAttribute("data-file-tab", id);
      tab.title = path;
      tab.textContent = name;
      tab.style.order = String(opened * 2);
      tab.addEventListener("click", function () { select(id, false); });
      tab.addEventListener("keydown", function (event) {
        if (event.key !== "Delete") return;
        event.preventDefault();
        close(id);
      });
      var closer = document.createElement("button");
      closer.type = "button";
      closer.className = "file-tab-close";
      closer.setAttribute("data-file-close", id);
      closer.setAttribute("aria-label", "Close " + name);
      closer.title = "Close " + path + " (Delete)";
      closer.tabIndex = -1;
      closer.style.order = String(opened * 2 + 1);
      closer.innerHTML = '<span aria-hidden="true">×</span>';
      closer.addEventListener("click", function () { close(id); });
      opened += 1;
      list.appendChild(tab);
      bar.appendChild(closer);
      return tab;
    }
    function mark(id) {
      links.forEach(function (link) {
        if (link.getAttribute("data-file-link") === id) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
      bar.querySelectorAll("[data-file-close]").forEach(function (c) {
        var on = c.getAttribute("data-file-close") === id;
        c.tabIndex = on ? 0 : -1;
        c.classList.toggle("is-current", on);
      });
    }
    function select(id, focus) {
      current = id;
      panes.forEach(function (pane) { pane.hidden = pane.getAttribute("data-file-pane") !== id; });
      if (empty) empty.hidden = true;
      // The file's folders open, so the current file is always shown in the tree.
      for (var d = linkFor(id).closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
      var tab = open(id);
      selectTab(list, tab);
      mark(id);
      if (focus) {
        wakeEditors(workspace.querySelector('[data-file-pane="' + id + '"]'));
        var target = workspace.querySelector('[data-file-pane="' + id + '"] .cm-content') ||
          workspace.querySelector('[data-file-pane="' + id + '"] textarea');
        if (target) target.focus();
      }
    }
    function close(id) {
      var tab = tabFor(id);
      if (!tab) return;
      var closer = closerFor(id);
      var focused = document.activeElement === tab || document.activeElement === closer;
      var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
      var i = tabs.indexOf(tab);
      tab.remove();
      if (closer) closer.remove();
      tabs.splice(i, 1);
      if (id !== current) {
        if (focused && tabFor(current)) tabFor(current).focus();
        return;
      }
      if (tabs.length) {
        // The neighbour on the right takes its place, or the one on the left at the end.
        var next = tabs[Math.min(i, tabs.length - 1)];
        select(next.getAttribute("data-file-tab"), false);
        if (focused) next.focus();
        return;
      }
      current = null;
      panes.forEach(function (pane) { pane.hidden = true; });
      mark(null);
      if (empty) empty.hidden = false;
      unfold();
      if (focused) linkFor(id).focus();
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        select(link.getAttribute("data-file-link"), true);
      });
    });
    tabKeys(list, function (tab) { select(tab.getAttribute("data-file-tab"), false); });

    // Below 1024 px the tree folds away behind a button, so the editor is not pushed down.
    var tree = workspace.querySelector(".file-tree");
    var layoutBox = workspace.querySelector(".workspace-layout");
    if (tree && layoutBox) {
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "button button-ghost file-tree-toggle";
      toggle.setAttribute("aria-controls", "file-tree");
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = "All files (" + links.length + ")";
      layoutBox.classList.add("tree-folded");
      layoutBox.insertBefore(toggle, layoutBox.firstChild);
      toggle.addEventListener("click", function () {
        var folded = layoutBox.classList.toggle("tree-folded");
        toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      });
      links.forEach(function (link) {
        link.addEventListener("click", function () {
          if (!toggle.offsetParent) return;
          layoutBox.classList.add("tree-folded");
          toggle.setAttribute("aria-expanded", "false");
        });
      });
      // With every tab closed, the tree is where the learner goes next.
      unfold = function () {
        layoutBox.classList.remove("tree-folded");
        toggle.setAttribute("aria-expanded", "true");
      };
    }
    var first = workspace.querySelector("[data-file-link][aria-current]") || links[0];
    select(first.getAttribute("data-file-link"), false);
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
      return postForm(url, data).then(function (response) {
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
    return {
      changed: changed,
      say: say,
      // A run saves the files it sends as the draft: nothing is left to autosave.
      sent: function () {
        if (timer) clearTimeout(timer);
        timer = null;
        dirty = false;
      },
    };
  }

  function storedNumber(key) {
    try { return parseFloat(window.localStorage.getItem(key) || ""); } catch (e) { return NaN; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, String(value)); } catch (e) { /* private mode */ }
  }

  /* A separator between two panes: drag it, or focus it and use the arrow keys (Shift: larger
   * steps), Home and End. Its value is the first pane's share of the container, in percent. */
  function splitter(o) {
    var sep = document.createElement("div");
    var vertical = o.axis === "x";
    sep.className = "ws-split ws-split-" + o.axis;
    sep.tabIndex = 0;
    sep.setAttribute("role", "separator");
    sep.setAttribute("aria-orientation", vertical ? "vertical" : "horizontal");
    sep.setAttribute("aria-label", o.label);
    sep.setAttribute("aria-controls", o.controls);
    sep.setAttribute("aria-valuemin", String(o.min));
    sep.setAttribute("aria-valuemax", String(o.max));
    o.after.insertAdjacentElement("afterend", sep);
    var value = storedNumber(o.key);
    function set(v, save) {
      value = Math.max(o.min, Math.min(o.max, Math.round(v)));
      o.container.style.setProperty(o.prop, value + "%");
      sep.setAttribute("aria-valuenow", String(value));
      sep.setAttribute("aria-valuetext", o.describe(value));
      if (save) store(o.key, value);
    }
    set(isNaN(value) ? o.initial : value, false);
    sep.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 10 : 2;
      var less = vertical ? "ArrowLeft" : "ArrowUp";
      var more = vertical ? "ArrowRight" : "ArrowDown";
      var next = { Home: o.min, End: o.max }[event.key];
      if (event.key === less) next = value - step;
      if (event.key === more) next = value + step;
      if (next === undefined) return;
      event.preventDefault();
      set(next, true);
    });
    sep.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      event.preventDefault();
      sep.setPointerCapture(event.pointerId);
      sep.classList.add("dragging");
      sep.focus({ preventScroll: true });
      function move(e) {
        var box = o.container.getBoundingClientRect();
        var share = vertical ? (e.clientX - box.left) / box.width : (e.clientY - box.top) / box.height;
        set(share * 100, false);
      }
      function up() {
        sep.classList.remove("dragging");
        sep.removeEventListener("pointermove", move);
        sep.removeEventListener("pointerup", up);
        sep.removeEventListener("pointercancel", up);
        store(o.key, value);
      }
      sep.addEventListener("pointermove", move);
      sep.addEventListener("pointerup", up);
      sep.addEventListener("pointercancel", up);
    });
    return sep;
  }

  /* The workspace: panes side by side from 1024 px, tabs below. Returns show(key) and reveal(id). */
  function layout() {
    var root = document.querySelector("[data-lab-ws]");
    var main = document.getElementById("main");
    if (!root || !main) return null;
    var narrow = window.matchMedia("(max-width: 1023.98px)");
    var panes = {};
    root.querySelectorAll("[data-ws-pane]").forEach(function (pane) {
      panes[pane.getAttribute("data-ws-pane")] = pane;
      pane.setAttribute("data-label", pane.getAttribute("aria-labelledby") || "");
    });
    var top = root.querySelector("[data-ws-tabs]");
    var topList = top.querySelector('[role="tablist"]');
    var bottom = root.querySelector("[data-ws-bottom-tabs]");
    // A run still being graded is what the learner came back for: show its live status.
    var live = root.querySelector("[data-ws-output] [hx-get]");
    var state = { phone: "brief", bottom: live ? "results" : "console" };
    main.classList.add("ws-on");
    root.querySelectorAll("[data-ws-jump]").forEach(function (el) { el.hidden = false; });

    function render() {
      var small = narrow.matches;
      top.hidden = !small;
      bottom.hidden = small;
      Object.keys(panes).forEach(function (key) {
        var pane = panes[key];
        var shown = small ? key === state.phone : key === "brief" || key === "code" || key === state.bottom;
        pane.hidden = !shown;
        var tab = (small ? topList : bottom).querySelector('[data-ws-tab="' + key + '"]');
        if (tab) {
          pane.setAttribute("role", "tabpanel");
          pane.setAttribute("aria-labelledby", tab.id);
        } else {
          pane.removeAttribute("role");
          if (pane.getAttribute("data-label")) pane.setAttribute("aria-labelledby", pane.getAttribute("data-label"));
          else pane.removeAttribute("aria-labelledby");
        }
      });
      selectTab(topList, topList.querySelector('[data-ws-tab="' + state.phone + '"]'));
      selectTab(bottom, bottom.querySelector('[data-ws-tab="' + state.bottom + '"]'));
      main.style.setProperty("--ws-offset", Math.round(main.getBoundingClientRect().top + window.scrollY) + "px");
      // A pane hidden under the focus (a run brings its output forward over the editor on a
      // phone) would drop the focus to the page: hand it to the selected tab instead.
      var active = document.activeElement;
      if (active && active !== document.body && root.contains(active) && !active.getClientRects().length) {
        var selected = (small ? topList : bottom).querySelector('[aria-selected="true"]');
        if (selected) selected.focus({ preventScroll: true });
      }
    }
    // On a phone the tab bar sticks to the top: a newly selected tab starts at its top.
    function toTop() {
      if (narrow.matches && top.getBoundingClientRect().top <= 1) {
        var start = root.querySelector("[data-ws-body]").getBoundingClientRect().top;
        window.scrollTo(0, start + window.scrollY - top.offsetHeight - 8);
      }
    }
    function show(key) {
      if (key === "console" || key === "results") state.bottom = key;
      state.phone = key;
      render();
    }
    [topList, bottom].forEach(function (list) {
      list.addEventListener("click", function (event) {
        var tab = event.target.closest('[role="tab"]');
        if (!tab) return;
        show(tab.getAttribute("data-ws-tab"));
        toTop();
      });
      tabKeys(list, function (tab) { show(tab.getAttribute("data-ws-tab")); });
    });

    var body = root.querySelector("[data-ws-body]");
    var right = root.querySelector("[data-ws-right]");
    splitter({
      axis: "x", container: body, after: panes.brief, prop: "--ws-left", key: "patchwise.lab.split.x",
      min: 20, max: 65, initial: 34, controls: "ws-brief", label: "Resize the brief and the code panes",
      describe: function (v) { return "Brief pane " + v + "% of the width"; },
    });
    splitter({
      axis: "y", container: right, after: panes.code, prop: "--ws-top", key: "patchwise.lab.split.y",
      min: 20, max: 85, initial: 64, controls: "fix", label: "Resize the editor and the console panel",
      describe: function (v) { return "Editor " + v + "% of the height"; },
    });

    /* Bring an element into view: select the pane (or tab) holding it, then scroll it into place
     * inside that pane. */
    function reveal(id, focus) {
      var target = id && document.getElementById(id);
      if (!target || !root.contains(target)) return false;
      var pane = target.closest("[data-ws-pane]");
      if (pane) show(pane.getAttribute("data-ws-pane"));
      if (narrow.matches) {
        target.scrollIntoView({ block: "start" });
      } else {
        window.scrollTo(0, 0);
        var scroller = target.parentElement;
        while (scroller && scroller !== root) {
          var overflow = getComputedStyle(scroller).overflowY;
          if ((overflow === "auto" || overflow === "scroll") && scroller.scrollHeight > scroller.clientHeight) break;
          scroller = scroller.parentElement;
        }
        if (scroller && scroller !== root) {
          var offset = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
          var sticky = scroller.querySelector("[data-ws-jump]");
          scroller.scrollTop += offset - (sticky && scroller.contains(sticky) ? sticky.offsetHeight + 8 : 8);
        }
      }
      if (focus) {
        if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus({ preventScroll: true });
      }
      return true;
    }
    narrow.addEventListener("change", render);
    window.addEventListener("resize", render);
    render();
    return { show: show, reveal: reveal, render: render, toTop: toTop };
  }

  /* Same-page links (#explanation, #fix, …) and the address's fragment select the pane they
   * point into. A run that just finished may still be refreshing the page's sections: wait. */
  function hashLinks(ws, pending) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href*='#']");
      if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var url = new URL(link.href, window.location.href);
      if (url.pathname !== window.location.pathname || url.search !== window.location.search || !url.hash) return;
      var id = decodeURIComponent(url.hash.slice(1));
      if (!document.getElementById(id) || link.closest(".file-tree")) return;
      event.preventDefault();
      history.replaceState(null, "", url.hash);
      pending().then(function () { ws.reveal(id, true); });
    });
    window.addEventListener("hashchange", function () { ws.reveal(decodeURIComponent(location.hash.slice(1)), true); });
    function initial() {
      if (location.hash) ws.reveal(decodeURIComponent(location.hash.slice(1)), false);
    }
    initial();
    window.addEventListener("load", function () { setTimeout(initial, 0); });
  }

  /* The sections a finished run or attack changes (progress, steps, history, explanation) are
   * fetched again and swapped in; pending() is the latest refresh, for links that wait on it. */
  function sectionRefresher() {
    var latest = Promise.resolve();
    function refresh() {
      latest = fetch(window.location.pathname, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          document.querySelectorAll("[data-ws-refresh]").forEach(function (el) {
            var next = fresh.getElementById(el.id);
            if (next) el.replaceWith(document.importNode(next, true));
          });
          confirmForms();
          shortcutHints();
        })
        .catch(function () { /* the result is shown; the sections refresh on next load */ });
      return latest;
    }
    return { refresh: refresh, pending: function () { return latest; } };
  }

  /* A refusal (a form error, the rate limit, a run in flight) drawn at the top of ``actions``,
   * beside the button that was pressed, with a countdown when there is a wait. */
  function refusalBox(actions, id, extraClass, text, seconds, items) {
    actions.querySelectorAll("[data-run-refused]").forEach(function (old) { old.remove(); });
    var box = document.createElement("div");
    box.className = "alert alert-error run-refused" + (extraClass ? " " + extraClass : "");
    box.id = id;
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    box.setAttribute("data-run-refused", "");
    if (seconds) box.setAttribute("data-retry-after", String(seconds));
    var p = document.createElement("p");
    p.setAttribute("data-refusal-text", "");
    p.textContent = text;
    box.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement("ul");
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    actions.insertBefore(box, actions.firstChild);
    refusals(box);
    box.scrollIntoView({ block: "nearest" });
    return box;
  }

  /* Submit fix and Run public tests, in place: the files go by fetch, and the test output panel
   * shows the run live (htmx polls it as on the run's own page); a refusal is drawn beside the
   * buttons. When a run finishes, the sections it changes (progress, history, explanation) are
   * fetched again. */
  function runs(workspace, saver, ws, sections) {
    var output = document.querySelector("[data-ws-output]");
    var actions = workspace.querySelector("#fix-actions");
    if (!output || !actions || !window.htmx) return;
    var finished = output.querySelector("[data-run-finished]");
    var refreshedFor = finished ? finished.getAttribute("data-run-id") : null;

    function refuse(text, seconds) {
      refusalBox(actions, "fix-refused", "", text, seconds);
    }

    function run(button) {
      var data = new FormData(workspace);
      data.set("action", button.value);
      var buttons = workspace.querySelectorAll("[data-run-button]");
      buttons.forEach(function (b) { b.disabled = true; });
      var old = actions.querySelector("[data-run-refused]");
      if (old) old.remove();
      saver.say("Sending…");
      postForm(workspace.getAttribute("data-autosave-url"), data).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok && body.run_url) {
            saver.sent();
            saver.say(button.value === "submit" ? "Fix sent: see the test output." : "Public tests started: see the test output.");
            ws.show("results");
            ws.toTop();
            var panel = output.closest(".card");
            if (panel) panel.scrollTop = 0;
            return window.htmx.ajax("GET", body.run_url, { target: output, swap: "innerHTML" });
          }
          saver.say("");
          refuse(body.error || "This run was refused. Please try again.", body.retry_after);
        });
      }).catch(function () {
        saver.say("");
        refuse("Not sent: you seem to be offline. Your changes are still in the editor.");
      }).then(function () {
        buttons.forEach(function (b) { b.disabled = false; });
      });
    }

    workspace.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-run-button")) return;
      event.preventDefault();
      run(button);
    });

    document.body.addEventListener("htmx:afterSettle", function () {
      var done = output.querySelector("[data-run-finished]");
      if (!done || done.getAttribute("data-run-id") === refreshedFor) return;
      refreshedFor = done.getAttribute("data-run-id");
      sections.refresh();
    });
  }

  /* Send the attack in place: the console posts by fetch and shows the attempt's live status
   * below the form (htmx polls it, as on the attempt's own page); what was typed stays. Against
   * "my code", the editor's files go with it and become the draft. Send stays disabled while an
   * attack is in flight; a flag taken from the starter refreshes the progress and steps. */
  function attacks(form, workspace, saver, ws, sections) {
    var output = document.querySelector("[data-exploit-output]");
    var actions = form.querySelector("#exploit-actions");
    var button = form.querySelector("[data-send-attack]");
    if (!output || !actions || !button || !window.htmx) return;
    var state = document.createElement("span");
    state.className = "save-state muted small";
    state.setAttribute("role", "status");
    state.setAttribute("aria-live", "polite");
    button.insertAdjacentElement("afterend", state);
    var shown = output.querySelector("#exploit-status");
    var refreshedFor = shown && shown.hasAttribute("data-exploit-flag") ? shown.getAttribute("data-exploit-id") : null;

    function busy(on, text) {
      button.disabled = on;
      button.setAttribute("aria-busy", on ? "true" : "false");
      var spin = button.querySelector(".spinner");
      if (on && !spin) {
        spin = document.createElement("span");
        spin.className = "spinner";
        spin.setAttribute("aria-hidden", "true");
        button.insertBefore(spin, button.firstChild);
      } else if (!on && spin) {
        spin.remove();
      }
      state.textContent = text || "";
    }
    function refuse(text, seconds, items) {
      busy(false);
      refusalBox(actions, "exploit-refused", "exploit-problems", text, seconds, items);
    }
    function follow() {
      var status = output.querySelector("#exploit-status");
      if (!status) return;
      if (!status.hasAttribute("data-exploit-finished")) {
        busy(true, "Attack running…");
        return;
      }
      busy(false);
      var id = status.getAttribute("data-exploit-id");
      if (status.hasAttribute("data-exploit-flag") && id !== refreshedFor) {
        refreshedFor = id;
        sections.refresh();
      }
    }

    function send() {
      var data = new FormData(form);
      var mine = data.get("target") === "workspace";
      if (mine && workspace) {
        new FormData(workspace).forEach(function (value, key) {
          if (key.indexOf("file:") === 0) data.append(key, value);
        });
      }
      // The page's own error box (drawn without script) and any earlier refusal go.
      form.querySelectorAll("[data-run-refused]").forEach(function (old) { old.remove(); });
      busy(true, "Sending…");
      postForm(form.getAttribute("action").split("#")[0], data).then(function (response) {
        return response.json().then(function (body) {
          if (response.ok && body.status_url) {
            if (mine && saver) saver.sent();
            busy(true, "Attack sent: its result shows below.");
            output.hidden = false;
            return window.htmx.ajax("GET", body.status_url, { target: output, swap: "innerHTML" }).then(function () {
              if (ws) ws.reveal("last-attack", false);
              follow();
            });
          }
          refuse(body.error || "This attack was refused. Please try again.", body.retry_after, body.errors);
        });
      }).catch(function () {
        refuse("Not sent: you seem to be offline. What you typed is still here.");
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!button.disabled) send();
    });
    document.body.addEventListener("htmx:afterSettle", follow);
    // A poll that fails (offline, signed out) must not leave Send disabled for good.
    ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
      document.body.addEventListener(name, function (event) {
        if (output.contains(event.target)) busy(false, "Lost track of the attack: reload the page to see its result.");
      });
    });
    follow();
  }

  /* POST a form's data as the page's own script does everywhere here: same-origin cookies, and a
   * JSON answer instead of the redirect a browser without script gets. */
  function postForm(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  }

  var MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");

  /* Shortcut hints exist only where the shortcuts work (with script): show them, with ⌘ on a Mac. */
  function shortcutHints() {
    document.querySelectorAll(".kbd-hint[hidden], [data-shortcut-list][hidden]").forEach(function (el) {
      el.hidden = false;
    });
    if (MAC) document.querySelectorAll("[data-mod-key]").forEach(function (k) { k.textContent = "⌘"; });
  }

  /* Ctrl/Cmd+Enter runs the public tests (in the exploit console: sends the attack);
   * Ctrl/Cmd+Shift+Enter submits the fix. Caught before the code editor sees the keys. */
  function shortcuts(workspace) {
    var exploit = document.querySelector("[data-exploit-form]");
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.altKey) return;
      var form = workspace;
      var button;
      if (!event.shiftKey && exploit && exploit.contains(document.activeElement)) {
        form = exploit;
        button = exploit.querySelector("[data-send-attack]");
      } else if (workspace) {
        button = workspace.querySelector('[data-run-button][value="' + (event.shiftKey ? "submit" : "public_tests") + '"]');
      }
      if (!form || !button) return;
      event.preventDefault();
      event.stopPropagation();
      if (!button.disabled) form.requestSubmit(button);
    }, true);
  }

  function init() {
    confirmForms();
    exploitModes();
    var workspace = document.querySelector("[data-workspace]");
    var saver = workspace ? autosave(workspace) : null;
    editors(workspace, saver ? saver.changed : function () {});
    if (workspace) fileTree(workspace);
    var ws = layout();
    var sections = sectionRefresher();
    if (workspace && saver && ws) runs(workspace, saver, ws, sections);
    var exploit = document.querySelector("[data-exploit-form]");
    if (exploit) attacks(exploit, workspace, saver, ws, sections);
    if (ws) hashLinks(ws, sections.pending);
    shortcutHints();
    shortcuts(workspace);
    refusals();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
