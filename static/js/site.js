/* Loading states for forms that post and wait for the server.
 *
 * Every POST form (and any form marked data-busy) that no other script has taken over: on submit
 * its buttons stop taking clicks at once (no double sign-ups or double submissions), and if the
 * answer takes more than a second the pressed button shows a spinner and what is happening
 * ("Signing in…", from data-busy-text on the button or the form, else "Working…"), said again in a
 * polite live region for screen readers. Going back to the page (bfcache) undoes it all.
 *
 * Forms opt out with data-busy="off"; forms whose own script calls preventDefault (htmx, the lab
 * workspace) are left alone, since this listener runs last, on the document.
 */
(function () {
  "use strict";
  var DELAY_MS = 1000;
  var DEFAULT_TEXT = "Working…";
  var saved = new WeakMap();

  function wants(form) {
    var mode = form.getAttribute("data-busy");
    if (mode === "off") return false;
    if (form.target && form.target !== "_self") return false; // the page stays: nothing to wait for
    return mode !== null || (form.getAttribute("method") || "get").toLowerCase() === "post";
  }

  function submitButtons(form) {
    // form.elements: the form's own controls, those outside it with form="id" included and those
    // inside that belong to another form left out.
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "BUTTON" || el.tagName === "INPUT") && el.type === "submit";
    });
  }

  function busyText(form, button) {
    return (button && button.getAttribute("data-busy-text")) ||
      form.getAttribute("data-busy-text") || DEFAULT_TEXT;
  }

  function showSpinner(form, button) {
    var text = busyText(form, button);
    if (button) {
      if (button.tagName === "INPUT") {
        saved.set(button, { value: button.value });
        button.value = text;
      } else {
        saved.set(button, { nodes: Array.prototype.slice.call(button.childNodes) });
        var spinner = document.createElement("span");
        spinner.className = "busy-spinner";
        spinner.setAttribute("aria-hidden", "true");
        button.replaceChildren(spinner, document.createTextNode(text));
      }
      button.classList.add("is-busy");
    }
    var status = form.querySelector("[data-busy-status]");
    if (status) status.textContent = text;
  }

  function start(form, button) {
    form.setAttribute("aria-busy", "true");
    var status = form.querySelector("[data-busy-status]");
    if (!status) {
      // Created empty first, filled later: a live region is only read when its text changes.
      status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("data-busy-status", "");
      form.appendChild(status);
    }
    // Disabled on the next tick: the browser has then read the form, the pressed button's name
    // included (the admin's "Save and continue" and action "Go" buttons need theirs).
    window.setTimeout(function () {
      submitButtons(form).forEach(function (b) { b.disabled = true; });
    }, 0);
    form._busyTimer = window.setTimeout(function () { showSpinner(form, button); }, DELAY_MS);
  }

  function stop(form) {
    window.clearTimeout(form._busyTimer);
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      button.disabled = false;
      button.classList.remove("is-busy");
      var before = saved.get(button);
      if (!before) return;
      if (before.nodes) button.replaceChildren.apply(button, before.nodes);
      else button.value = before.value;
      saved.delete(button);
    });
    var status = form.querySelector("[data-busy-status]");
    if (status) status.textContent = "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !wants(form)) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // already on its way: a second press would send it twice
      return;
    }
    if (event.defaultPrevented) return; // its own script handles it
    var button = event.submitter && event.submitter.type === "submit" ? event.submitter : submitButtons(form)[0];
    start(form, button || null);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[aria-busy="true"]').forEach(stop);
  });
})();
