/* Live preview of an article in the admin, as learners will see it.
 *
 * The Markdown is rendered by the site's own pipeline (a POST to the preview address) and shown
 * inside a same-origin frame whose page loads the learner site's stylesheets, so the admin's CSS
 * never leaks into it. What the sanitiser removed is listed above the frame, with the reason.
 */
(function () {
  "use strict";
  function init() {
    var source = document.querySelector("textarea[data-preview]");
    if (!source) return;
    var url = source.getAttribute("data-preview-url") || "/articles/preview/";
    var frameUrl = source.getAttribute("data-preview-frame") || "/articles/preview/frame/";
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var titleInput = document.getElementById("id_title");
    var summaryInput = document.getElementById("id_summary");

    var pane = document.createElement("section");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-label", "Preview");
    var heading = document.createElement("h3");
    heading.textContent = "Preview (as learners will see it)";
    var status = document.createElement("div");
    status.className = "preview-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var report = document.createElement("div");
    report.className = "sanitizer-report";
    report.hidden = true;
    var frame = document.createElement("iframe");
    frame.className = "preview-frame";
    frame.title = "Article preview, styled as on the site";
    frame.src = frameUrl;
    var widths = document.createElement("div");
    widths.className = "preview-widths";
    widths.setAttribute("role", "group");
    widths.setAttribute("aria-label", "Preview width");
    [["Desktop", ""], ["Phone (375 px)", "375px"]].forEach(function (choice, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = choice[0];
      button.setAttribute("aria-pressed", index === 0 ? "true" : "false");
      button.addEventListener("click", function () {
        frame.style.width = choice[1];
        widths.querySelectorAll("button").forEach(function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        fitFrame();
      });
      widths.appendChild(button);
    });
    pane.appendChild(heading);
    pane.appendChild(widths);
    pane.appendChild(status);
    pane.appendChild(report);
    pane.appendChild(frame);
    // Below the whole Body row, full width: beside the textarea it would be too narrow to judge.
    var row = source.closest(".form-row") || source.parentNode;
    row.parentNode.insertBefore(pane, row.nextSibling);

    var latest = null; // the last rendering, applied once the frame has loaded
    var timer = null;

    function frameDoc() {
      try { return frame.contentDocument; } catch (e) { return null; }
    }

    function fitFrame() {
      // Measure the article, not the document or <main>: the site stretches them to at least one
      // viewport, so they would grow with every fit.
      var doc = frameDoc();
      var article = doc && doc.querySelector("main article");
      if (!article) return;
      var bottom = article.getBoundingClientRect().bottom + (doc.defaultView.scrollY || 0);
      frame.height = String(Math.max(320, Math.ceil(bottom) + 24));
    }

    function apply() {
      var doc = frameDoc();
      if (!doc || !latest) return;
      var body = doc.querySelector("[data-preview-body]");
      if (!body) return; // the frame is still loading; its load event applies it
      body.innerHTML = latest.html; // sanitised on the server by the same pipeline as the site
      var title = doc.querySelector("[data-preview-title]");
      if (title && titleInput) title.textContent = titleInput.value || "Untitled article";
      var summary = doc.querySelector("[data-preview-summary]");
      if (summary && summaryInput) summary.textContent = summaryInput.value;
      fitFrame();
    }

    function showReport(removed) {
      report.textContent = "";
      report.hidden = !removed.length;
      if (!removed.length) return;
      var intro = document.createElement("p");
      var strong = document.createElement("strong");
      strong.textContent = "The sanitiser removed this from the article; learners will not see it:";
      intro.appendChild(strong);
      var list = document.createElement("ul");
      removed.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      report.appendChild(intro);
      report.appendChild(list);
    }

    function refresh() {
      var data = new FormData();
      data.append("body", source.value);
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) {
        return response.json();
      }).then(function (result) {
        if (result.error) { status.textContent = result.error; return; }
        var removed = result.removed || [];
        status.textContent = removed.length
          ? removed.length + " thing" + (removed.length === 1 ? "" : "s") + " removed by the sanitiser."
          : "";
        showReport(removed);
        latest = result;
        apply();
      }).catch(function () {
        status.textContent = "The preview could not be loaded.";
      });
    }

    function later() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    }

    frame.addEventListener("load", apply);
    window.addEventListener("resize", fitFrame);
    source.addEventListener("input", later);
    if (titleInput) titleInput.addEventListener("input", apply);
    if (summaryInput) summaryInput.addEventListener("input", apply);
    refresh();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
