/* Records that the reader started an article, on their first real interaction with the page (a
 * key, a click or tap, a wheel or touch scroll) rather than on page load: a link from another
 * site can open the page, but cannot act in it. The POST carries the page's CSRF token. Without
 * JavaScript, "Mark as read" still records the article. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-article-start]");
  if (!form || !window.fetch || !window.FormData) return;
  var events = ["keydown", "pointerdown", "wheel", "touchmove"];
  var sent = false;

  function start() {
    if (sent) return;
    sent = true;
    events.forEach(function (name) {
      window.removeEventListener(name, start, true);
    });
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .catch(function () {
        sent = false; // offline for a moment: the next interaction tries again
        listen();
      });
  }

  function listen() {
    events.forEach(function (name) {
      window.addEventListener(name, start, { capture: true, passive: true });
    });
  }

  listen();
})();
