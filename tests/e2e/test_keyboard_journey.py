"""Journey 5 (issue 13): the lab's fix, from the lab page to the verdict, with the keyboard only.
After signing in nothing is clicked: Tab, Shift+Tab, Enter and the workspace's shortcuts. Every
stop on the way shows where the focus is, and the code editor lets the focus out again.
Graded by a real worker in the sandbox, in Chromium.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import shot, sign_in
from tests.factories import LABS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]

#: The focused element, and whether a sighted keyboard user can see that it has the focus: an
#: outline or a ring drawn on it or (for the code editor's text) on the editor around it.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {where: "body", visible: false};
  const shows = (node) => {
    const s = getComputedStyle(node);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow && s.boxShadow !== "none");
  };
  const editor = el.closest(".cm-editor");
  const box = el.getBoundingClientRect();
  return {
    where: el.outerHTML.slice(0, 100),
    visible: (shows(el) || (editor !== null && shows(editor))) && box.width > 0 && box.height > 0,
    editor: el.classList.contains("cm-content"),
    pane: el.closest("[data-file-pane]")?.getAttribute("data-file-pane") ?? null,
    link: el.getAttribute("data-file-link"),
    text: el.textContent.trim().slice(0, 60),
  };
}"""


def _visible_focus(page) -> dict:
    """Where the focus is, once it is drawn (the editor draws its ring a frame after focus)."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({FOCUS})().visible", timeout=1_000)
    focus = page.evaluate(FOCUS)
    assert focus["where"] != "body", "the focus fell back to the page"
    assert focus["visible"], f"no visible focus on {focus['where']}"
    return focus


def _tab_until(page, done, *, key: str = "Tab", limit: int = 150) -> dict:
    """Press ``key`` until ``done(focus)``; each stop on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focus = _visible_focus(page)
        if done(focus):
            return focus
    raise AssertionError(f"{limit} presses of {key} never got there")


def test_the_lab_fix_by_keyboard_alone(
    live_server, page, start_worker, alice, password, flask_lab
) -> None:
    start_worker()
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + flask_lab.get_absolute_url()
    page.goto(lab_url)
    number = page.locator("label.file-label", has_text="settings.py").first.get_attribute("for")
    number = number.removeprefix("file-input-")

    # Through the page to settings.py in the file tree; Enter opens it in the editor.
    _tab_until(page, lambda f: f["link"] == number)
    page.keyboard.press("Enter")
    focus = _visible_focus(page)
    if not (focus["editor"] and focus["pane"] == number):
        focus = _tab_until(page, lambda f: f["editor"] and f["pane"] == number)
    assert page.locator(f"#file-{number}").is_visible()
    assert page.get_by_role("tab", name="settings.py").get_attribute("aria-selected") == "true"

    # No keyboard trap: Escape, then Tab, leaves the editor; Shift+Tab comes back to it.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not _visible_focus(page)["editor"], "Escape then Tab must leave the code editor"
    _tab_until(page, lambda f: f["editor"] and f["pane"] == number, key="Shift+Tab", limit=10)

    # The fix, typed in: select all, then the new text.
    fixed = (LABS / "flask-debug-console/solution/settings.py").read_text()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(fixed)
    assert "default=False" in page.locator(f"#file-{number} .cm-content").inner_text()

    # Ctrl+Enter runs the public tests; the output shows in place.
    page.keyboard.press("Control+Enter")
    title = page.locator("#results .verdict-title")
    title.wait_for(timeout=60_000)
    assert title.inner_text().startswith("Public tests")
    assert page.url == lab_url
    page.wait_for_timeout(1500)  # a run may not start while the previous one is in flight

    # Ctrl+Shift+Enter submits the fix; the verdict and each check show in place.
    assert _visible_focus(page)["editor"], "running the tests took the focus out of the editor"
    page.keyboard.press("Control+Shift+Enter")
    finished = '#results #submission-status[data-run-kind="submit"][data-run-finished]'
    page.locator(finished).wait_for(timeout=60_000)
    assert title.inner_text() == "Passed"
    checks = len(flask_lab.published_version.checks)
    assert page.locator("#results .check-passed").count() == checks
    shot(page, "journey5-passed-1280.png")
    page.set_viewport_size({"width": 375, "height": 740})
    shot(page, "journey5-passed-375.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # From the editor, on by keyboard to the verdict's link to the explanation, and open it.
    page.keyboard.press("Escape")
    _tab_until(page, lambda f: f["text"] == "Read the explanation")
    page.keyboard.press("Enter")
    explanation = page.locator("#explanation .markdown")
    explanation.wait_for()
    assert explanation.inner_text().strip() != ""
    assert page.get_by_role("heading", name="Explanation").is_visible()
    assert page.js_errors == []
