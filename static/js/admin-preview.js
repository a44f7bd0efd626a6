/* Live preview of an article's Markdown in the admin, rendered by the site's own pipeline. */
(function () {
  "use strict";
  function init() {
    var source = document.querySelector("textarea[data-preview]");
    if (!source) return;
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var pane = document.createElement("section");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-live", "polite");
    pane.setAttribute("aria-label", "Preview");
    var heading = document.createElement("h3");
    heading.textContent = "Preview (as learners will see it)";
    var body = document.createElement("div");
    body.className = "markdown";
    pane.appendChild(heading);
    pane.appendChild(body);
    source.parentNode.appendChild(pane);
    var timer = null;
    function refresh() {
      var data = new FormData();
      data.append("body", source.value);
      fetch("/articles/preview/", {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) {
        return response.json();
      }).then(function (result) {
        if (result.error) { body.textContent = result.error; return; }
        body.innerHTML = result.html; // sanitised on the server by the same pipeline as the site
      }).catch(function () {
        body.textContent = "The preview could not be loaded.";
      });
    }
    source.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
