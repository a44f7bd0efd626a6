/* The team dashboard, progressively enhanced: the activity chart (Chart.js, drawn from the same
 * JSON as the table beside it) and client-side sorting of the member table. Without JavaScript
 * the table is shown and the column headings are links that sort on the server. */
(function () {
  "use strict";
  // Read now: document.currentScript is only set while this script first runs.
  var ownScript = document.currentScript;
  var nonce = (ownScript && ownScript.nonce) || "";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }

  /* Run ``callback`` once ``element`` comes near the screen (at once without the observer). */
  function whenNear(element, callback) {
    if (!("IntersectionObserver" in window)) { callback(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      callback();
    }, { rootMargin: "400px 0px" });
    observer.observe(element);
  }

  /* Chart.js is 70 KB compressed and a few hundred milliseconds of script on a phone, and the
   * activity section is far down the page: it is fetched only when that section comes near the
   * screen, so it no longer holds up the summary and the member table (Lighthouse's "render
   * blocking" and "total blocking time"). */
  function loadChartJs(src, done) {
    if (typeof window.Chart !== "undefined") { done(); return; }
    var script = document.createElement("script");
    script.src = src;
    script.nonce = nonce;
    script.onload = done;
    document.head.appendChild(script);
  }

  function drawChart() {
    var holder = document.querySelector("[data-activity-chart]");
    if (!holder || !window.fetch || !holder.getAttribute("data-chart-src")) return;
    whenNear(holder.parentElement, function () {
      loadChartJs(holder.getAttribute("data-chart-src"), function () { fetchAndDraw(holder); });
    });
  }

  function fetchAndDraw(holder) {
    fetch(holder.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var colours = [cssVar("--brand", "#4f46e5"), cssVar("--ok", "#116534"), cssVar("--warn", "#a15c00"), cssVar("--danger", "#c0262d")];
        var dashes = [[], [6, 3], [2, 2], [10, 4]];
        var styles = ["circle", "rect", "triangle", "rectRot"];
        holder.hidden = false;
        var table = document.querySelector("[data-activity-table]");
        if (table) table.open = false;
        new window.Chart(holder.querySelector("canvas"), {
          type: "line",
          data: {
            labels: data.labels,
            datasets: data.datasets.map(function (set, i) {
              return {
                label: set.label, data: set.data, borderColor: colours[i % 4], backgroundColor: colours[i % 4],
                borderDash: dashes[i % 4], pointStyle: styles[i % 4], pointRadius: 4, tension: 0.2
              };
            })
          },
          options: {
            responsive: true, maintainAspectRatio: false, animation: false,
            interaction: { mode: "index", intersect: false },
            scales: { y: { beginAtZero: true, ticks: { precision: 0, color: cssVar("--muted", "#666") } },
                      x: { ticks: { color: cssVar("--muted", "#666") } } },
            plugins: { legend: { labels: { usePointStyle: true, color: cssVar("--ink", "#1c1d2b") } } }
          }
        });
      })
      .catch(function () { /* the table stays open: it has the same numbers */ });
  }

  function sortableTables() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      var headers = table.querySelectorAll("thead th[data-sort-key]");
      headers.forEach(function (th, index) {
        var link = th.querySelector("a");
        if (!link) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        button.textContent = link.textContent;
        th.replaceChild(button, link);
        button.addEventListener("click", function () {
          var current = th.getAttribute("aria-sort");
          var numeric = th.getAttribute("data-sort-type") === "number";
          var direction = current === "ascending" ? "descending" : current === "descending" ? "ascending" : numeric ? "descending" : "ascending";
          headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", direction);
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          var sign = direction === "ascending" ? 1 : -1;
          rows.sort(function (a, b) {
            var x = a.cells[index].getAttribute("data-value") || "";
            var y = b.cells[index].getAttribute("data-value") || "";
            var byValue = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
            if (byValue !== 0) return sign * byValue;
            var ax = a.cells[0].getAttribute("data-value") || "", bx = b.cells[0].getAttribute("data-value") || "";
            return ax.localeCompare(bx);
          });
          rows.forEach(function (row) { body.appendChild(row); });
          var url = new URL(window.location.href);
          url.searchParams.set("sort", (direction === "descending" ? "-" : "") + th.getAttribute("data-sort-key"));
          window.history.replaceState(null, "", url.pathname + url.search + "#members");
        });
      });
    });
  }

  function start() {
    sortableTables();
    drawChart();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
