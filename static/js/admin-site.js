/* Names for the admin widgets Django renders without one, so screen readers (and axe) can say
 * what each field is:
 * - the search boxes Django's autocomplete (select2) draws over a <select>: select2 names its box
 *   by the current choice, which is nothing while the choice is empty;
 * - the date and time boxes of a date-time field, which Django labels with plain text.
 * Runs once the page has loaded (after Django's own scripts) and again for each new inline row.
 */
(function () {
  "use strict";
  var count = 0;

  function labelFor(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    if (!label) return null;
    if (!label.id) label.id = "admin-label-" + (++count);
    return label;
  }

  function nameSelect2(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      var label = labelFor(select.id);
      if (!label) return;
      var box = container.querySelector('.select2-selection[role="combobox"]');
      var rendered = container.querySelector(".select2-selection__rendered");
      if (box) box.setAttribute("aria-labelledby", label.id + (rendered && rendered.id ? " " + rendered.id : ""));
      if (rendered) rendered.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
  }

  function nameDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (p) {
      var row = p.closest(".form-row, .fieldBox, td");
      var label = row && row.querySelector("label");
      var name = label ? label.textContent.replace(/:\s*$/, "").trim() : "Date and time";
      p.querySelectorAll("input.vDateField, input.vTimeField").forEach(function (input) {
        if (input.labels && input.labels.length) return;
        var part = input.classList.contains("vDateField") ? "date" : "time";
        input.setAttribute("aria-label", name + ", " + part);
      });
    });
  }

  function nameListEditable(root) {
    // A changelist's list_editable cells: named by column heading and the row's first link.
    root.querySelectorAll("#result_list tbody tr").forEach(function (row) {
      var link = row.querySelector("th a, td a");
      row.querySelectorAll("td input:not([type=hidden]), td select, td textarea").forEach(function (field) {
        if ((field.labels && field.labels.length) || field.hasAttribute("aria-label")) return;
        var cell = field.closest("td");
        var heading = cell && document.querySelector("#result_list thead th." + (cell.className.match(/field-[\w-]+/) || ["-"])[0].replace("field-", "column-"));
        var name = heading ? heading.textContent.trim() : field.name;
        field.setAttribute("aria-label", name + (link ? " (" + link.textContent.trim() + ")" : ""));
      });
    });
  }

  function nameTooltips(root) {
    // Django's filter boxes put aria-label on a bare <span>: an image role makes the name count.
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function run(root) {
    nameSelect2(root);
    nameDateTimes(root);
    nameListEditable(root);
    nameTooltips(root);
  }

  // Django's own scripts draw these widgets at various moments (jQuery's ready, window load, a new
  // inline row): name whatever has appeared after each change. Only attributes are set here, so
  // this never wakes the observer itself.
  function all() { run(document); }
  document.addEventListener("DOMContentLoaded", function () {
    all();
    new MutationObserver(all).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", all);
})();
