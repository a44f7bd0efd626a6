/*
 * Patchwise code editor: CodeMirror 6 with Python, wrapped in a tiny API for the lab page.
 *
 * Bundled by esbuild (scripts/build-frontend.sh) into static/vendor/codemirror/patchwise-editor.js
 * as one IIFE that sets window.PatchwiseEditor. Progressive enhancement: the page renders a plain
 * <textarea> inside a normal form; create() hides it, shows the editor in its place and keeps the
 * textarea's value in sync, so submitting the form posts the text exactly as without JavaScript.
 *
 *   const editor = PatchwiseEditor.create(textarea, {readOnly: false, nonce: "…", onChange(text) {}});
 *   editor.getValue(); editor.setValue("print(1)\n"); editor.focus(); editor.destroy();
 *
 * The page's CSP allows styles only from 'self' or with its nonce, and CodeMirror injects a
 * <style> element: EditorView.cspNonce carries the nonce onto it. The first editor on a page
 * decides the nonce of that shared element, so always pass it (or load this script with a nonce
 * attribute, which is used as the fallback).
 */
import { basicSetup } from "codemirror";
import { EditorView, keymap } from "@codemirror/view";
import { Compartment, EditorState } from "@codemirror/state";
import { indentWithTab } from "@codemirror/commands";
import { HighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { tags as t } from "@lezer/highlight";

const VERSION = "1.0.0";

// The nonce of the <script> tag that loaded this bundle, if it had one; read now because
// document.currentScript is only set while the script first runs.
const scriptNonce = (document.currentScript && document.currentScript.nonce) || "";

// --- Themes ------------------------------------------------------------------------------------
// Chrome colours read the site's CSS variables (static/css/site.css) with the same values as
// fallbacks; token colours are fixed and were checked for at least 4.5:1 contrast (WCAG AA) against
// the editor background, the active-line background and the gutter, in both schemes.

const shared = {
  "&": {
    fontSize: "0.95rem",
    borderRadius: "var(--radius-sm, 6px)",
    maxHeight: "var(--pw-editor-max-height, 75vh)",
  },
  "&.cm-focused": {
    outline: "3px solid var(--focus, #f59e0b)",
    outlineOffset: "0",
  },
  ".cm-scroller": {
    fontFamily: "var(--mono, ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace)",
    lineHeight: "1.55",
    overflow: "auto",
  },
  ".cm-content, .cm-gutter": { minHeight: "var(--pw-editor-min-height, 12em)" },
  ".cm-gutters": { borderRadius: "var(--radius-sm, 6px) 0 0 var(--radius-sm, 6px)" },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 0.6em 0 0.8em" },
};

const lightTheme = EditorView.theme(
  {
    ...shared,
    "&": { ...shared["&"], border: "1px solid var(--line, #dcdeea)", backgroundColor: "var(--surface, #ffffff)", color: "#1c1d2b" },
    ".cm-content": { caretColor: "#1c1d2b" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#1c1d2b", borderLeftWidth: "2px" },
    ".cm-gutters": { ...shared[".cm-gutters"], backgroundColor: "#f7f7fb", color: "#666a85", borderRight: "1px solid var(--line, #dcdeea)" },
    ".cm-activeLine": { backgroundColor: "#eef0fb" },
    ".cm-activeLineGutter": { backgroundColor: "#e4e6f5", color: "#1c1d2b" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
      { backgroundColor: "#c9d2ff" },
    "&.cm-focused .cm-matchingBracket": { backgroundColor: "#cdeccf", outline: "1px solid #116534" },
    "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#fde8e8", outline: "1px solid #c0262d" },
    ".cm-selectionMatch": { backgroundColor: "#e6e3ff" },
    ".cm-searchMatch": { backgroundColor: "#fff3dc", outline: "1px solid #a15c00" },
  },
  { dark: false },
);

const darkTheme = EditorView.theme(
  {
    ...shared,
    "&": { ...shared["&"], border: "1px solid var(--line, #34364a)", backgroundColor: "var(--surface, #1b1c28)", color: "#ecedf5" },
    ".cm-content": { caretColor: "#ecedf5" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#ecedf5", borderLeftWidth: "2px" },
    ".cm-gutters": { ...shared[".cm-gutters"], backgroundColor: "#171822", color: "#a2a5c0", borderRight: "1px solid var(--line, #34364a)" },
    ".cm-activeLine": { backgroundColor: "#232536" },
    ".cm-activeLineGutter": { backgroundColor: "#2a2c40", color: "#ecedf5" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
      { backgroundColor: "#3d3f6e" },
    "&.cm-focused .cm-matchingBracket": { backgroundColor: "#1f4a31", outline: "1px solid #5fd08a" },
    "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#3d1c20", outline: "1px solid #ff8a8f" },
    ".cm-selectionMatch": { backgroundColor: "#2f2d55" },
    ".cm-searchMatch": { backgroundColor: "#3a2b12", outline: "1px solid #f2b35b" },
  },
  { dark: true },
);

function highlightStyle(c) {
  return HighlightStyle.define([
    { tag: [t.keyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword, t.modifier], color: c.keyword },
    { tag: t.controlKeyword, color: c.control },
    { tag: [t.string, t.special(t.string)], color: c.string },
    { tag: t.escape, color: c.escape },
    { tag: t.comment, color: c.comment, fontStyle: "italic" },
    { tag: [t.number, t.bool, t.null], color: c.number },
    { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName)], color: c.fn },
    { tag: [t.definition(t.className), t.className], color: c.cls, fontWeight: "600" },
    { tag: t.propertyName, color: c.prop },
    { tag: t.meta, color: c.meta },
    { tag: t.invalid, color: c.invalid, textDecoration: "underline wavy" },
  ]);
}

const lightHighlight = highlightStyle({
  keyword: "#a626a4", control: "#b3261e", string: "#0b6e2d", escape: "#a15c00", comment: "#5c6078",
  number: "#0550ae", fn: "#3f37c9", cls: "#8a4b00", prop: "#1f5c99", meta: "#7a3e9d", invalid: "#b3261e",
});
const darkHighlight = highlightStyle({
  keyword: "#d7a4ff", control: "#ff8a8f", string: "#8fd6a0", escape: "#f2b35b", comment: "#9a9db8",
  number: "#79c0ff", fn: "#a5a0ff", cls: "#f2b35b", prop: "#8ccbff", meta: "#e0a4e8", invalid: "#ff8a8f",
});

function schemeExtensions(dark) {
  return dark ? [darkTheme, syntaxHighlighting(darkHighlight)] : [lightTheme, syntaxHighlighting(lightHighlight)];
}

// --- Accessibility helpers -------------------------------------------------------------------

let counter = 0;

// Name the editor's content element after the textarea's <label>s (aria-labelledby), or its
// aria-label/title, so screen readers announce the same name as the plain textarea.
function accessibleAttributes(textarea, readOnly) {
  const attrs = {};
  const labels = textarea.labels ? Array.from(textarea.labels) : [];
  if (textarea.getAttribute("aria-labelledby")) {
    attrs["aria-labelledby"] = textarea.getAttribute("aria-labelledby");
  } else if (labels.length) {
    attrs["aria-labelledby"] = labels
      .map((label) => {
        if (!label.id) label.id = `pw-editor-label-${++counter}`;
        return label.id;
      })
      .join(" ");
  } else {
    attrs["aria-label"] = textarea.getAttribute("aria-label") || textarea.title || "Code editor";
  }
  const describedBy = textarea.getAttribute("aria-describedby");
  if (describedBy) attrs["aria-describedby"] = describedBy;
  if (textarea.getAttribute("aria-invalid")) attrs["aria-invalid"] = textarea.getAttribute("aria-invalid");
  if (readOnly) attrs["aria-readonly"] = "true";
  return attrs;
}

// --- API -----------------------------------------------------------------------------------

const instances = new WeakMap();

/**
 * Replace `textarea` with a CodeMirror editor; returns {getValue, setValue, focus, destroy, view}.
 * Options: readOnly (default false), nonce (the page's CSP nonce), onChange(text) called after
 * every change of the text, whether typed or set with setValue().
 * Calling create() again on the same textarea returns the existing editor.
 */
function create(textarea, options = {}) {
  if (!(textarea instanceof HTMLTextAreaElement)) {
    throw new TypeError("PatchwiseEditor.create expects a <textarea> element");
  }
  const existing = instances.get(textarea);
  if (existing) return existing;

  const readOnly = Boolean(options.readOnly || textarea.readOnly);
  const nonce = options.nonce || scriptNonce;
  const onChange = typeof options.onChange === "function" ? options.onChange : null;
  const media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const scheme = new Compartment();

  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        // basicSetup: line numbers, history, bracket matching and closing, folding, search,
        // autocompletion, active line; its keymap includes Ctrl-M / Shift-Alt-M (tab focus mode).
        basicSetup,
        // Tab indents. Escape then Tab still moves focus out of the editor (CodeMirror's
        // accessibility escape hatch), so keyboard users are never trapped.
        keymap.of([indentWithTab]),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        python(),
        EditorView.cspNonce.of(nonce),
        EditorState.readOnly.of(readOnly),
        EditorView.contentAttributes.of(accessibleAttributes(textarea, readOnly)),
        EditorView.editorAttributes.of({ class: readOnly ? "pw-editor pw-editor--readonly" : "pw-editor" }),
        scheme.of(schemeExtensions(Boolean(media && media.matches))),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const text = update.state.doc.toString();
          textarea.value = text;
          if (onChange) onChange(text);
        }),
      ],
    }),
  });

  // Give the editor about the height the textarea asked for (rows), via a custom property the
  // theme reads; setting it through the CSSOM is allowed under a CSP without 'unsafe-inline'.
  const rows = Number(textarea.getAttribute("rows"));
  if (rows > 0) view.dom.style.setProperty("--pw-editor-min-height", `${(rows * 1.55).toFixed(2)}em`);

  textarea.insertAdjacentElement("afterend", view.dom);
  const wasHidden = textarea.hidden;
  textarea.hidden = true;

  const onSchemeChange = (event) => view.dispatch({ effects: scheme.reconfigure(schemeExtensions(event.matches)) });
  if (media) media.addEventListener("change", onSchemeChange);

  // A click on the textarea's label would focus the hidden textarea; send it to the editor.
  const labels = textarea.labels ? Array.from(textarea.labels) : [];
  const onLabelClick = (event) => {
    event.preventDefault();
    view.focus();
  };
  labels.forEach((label) => label.addEventListener("click", onLabelClick));

  // A form reset restores the textarea's default value after the event; mirror it in the editor.
  const form = textarea.form;
  const onReset = () => setTimeout(() => api.setValue(textarea.value), 0);
  if (form) form.addEventListener("reset", onReset);

  const api = {
    view,
    getValue() {
      return view.state.doc.toString();
    },
    setValue(text) {
      const value = String(text ?? "");
      if (value === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    focus() {
      view.focus();
    },
    destroy() {
      if (!instances.has(textarea)) return;
      instances.delete(textarea);
      textarea.value = view.state.doc.toString();
      if (media) media.removeEventListener("change", onSchemeChange);
      labels.forEach((label) => label.removeEventListener("click", onLabelClick));
      if (form) form.removeEventListener("reset", onReset);
      view.destroy();
      view.dom.remove();
      textarea.hidden = wasHidden;
    },
  };
  instances.set(textarea, api);
  return api;
}

window.PatchwiseEditor = Object.freeze({ create, version: VERSION });
