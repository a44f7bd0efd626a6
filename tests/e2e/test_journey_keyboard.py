"""Journey 5 (issue 13): journey 1's lab part with the keyboard only, at 1280 px and on a 375 px
phone. After signing in nothing is clicked: Tab, Shift+Tab, Enter, Space, the arrow keys in tab
lists and radio groups, and the workspace's shortcuts. Every stop on the way shows where the focus
is, and the code editors let the focus out again. Graded by a real worker in the sandbox, in
Chromium; each step is shot at 375 and 1280 px (see ``shots``).
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import shots, sign_in
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
    role: el.getAttribute("role"),
    selected: el.getAttribute("aria-selected"),
    tablist: el.closest('[role="tablist"]')?.getAttribute("aria-label") ?? null,
    console: el.closest("#exploit") !== null,
    radio: el.type === "radio" ? el.name + "=" + el.value + (el.checked ? " checked" : "") : null,
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
    stops: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        focus = _visible_focus(page)
        if done(focus):
            return focus
        stops.append(focus["text"] or focus["where"][:40])
    raise AssertionError(f"{limit} presses of {key} never got there; last stops: {stops[-12:]}")


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

    # From the editor, on by keyboard to the verdict's link to the explanation, and open it.
    page.keyboard.press("Escape")
    _tab_until(page, lambda f: f["text"] == "Read the explanation")
    page.keyboard.press("Enter")
    explanation = page.locator("#explanation .markdown")
    explanation.wait_for()
    assert explanation.inner_text().strip() != ""
    assert page.get_by_role("heading", name="Explanation").is_visible()
    assert page.js_errors == []
    # Shot at the end: resizing the window in the middle would move the focus under the test.
    shots(page, "passed-and-explanation")


def _workspace_tab(page) -> dict:
    """Tab to the phone's workspace tab list: the focus lands on its selected tab."""
    focus = _tab_until(page, lambda f: f["role"] == "tab" and f["tablist"] == "Workspace")
    assert focus["selected"] == "true", "Tab must land on the selected tab of the tab list"
    return focus


def _arrow_to(page, name: str, key: str = "ArrowRight") -> None:
    """Arrow keys move along the tab list; the tab they reach is selected and its pane shown."""
    for _ in range(4):
        if _visible_focus(page)["text"] == name:
            break
        page.keyboard.press(key)
    tab = page.get_by_role("tab", name=name, exact=True)
    assert _visible_focus(page)["text"] == name
    assert tab.get_attribute("aria-selected") == "true"
    assert page.locator("#" + tab.get_attribute("aria-controls")).is_visible()


def test_the_lab_by_keyboard_alone_on_a_phone(
    live_server, phone_page, start_worker, alice, password, flask_lab
) -> None:
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start_worker()
    sign_in(page, live_server.url, alice.email, password)
    lab_url = live_server.url + flask_lab.get_absolute_url()
    page.goto(lab_url)

    # The workspace is four tabs. Tab reaches the selected one; the arrow keys go to the console.
    assert _workspace_tab(page)["text"] == "Brief"
    _arrow_to(page, "Console")
    assert not page.locator("#ws-brief").is_visible()

    # Step 1, the exploit: a script (the radio group answers the arrow keys), typed into the
    # console's editor and sent with Ctrl+Enter.
    radio = _tab_until(page, lambda f: f["radio"] is not None and f["radio"].startswith("mode="))
    for _ in range(3):
        if radio["radio"] == "mode=script checked":
            break
        page.keyboard.press("ArrowDown")
        radio = _visible_focus(page)
    assert radio["radio"] == "mode=script checked"
    _tab_until(page, lambda f: f["editor"] and f["console"], limit=30)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text((LABS / "flask-debug-console/exploit/solve.py").read_text())
    page.keyboard.press("Control+Enter")
    page.get_by_text("Flag captured", exact=True).wait_for(timeout=45_000)
    shots(page, "flag-captured")

    # On to the fix, by keyboard: Escape leaves the editor (if the focus is still in it).
    page.keyboard.press("Escape")
    _tab_until(page, lambda f: f["text"] == "On to the fix")
    page.keyboard.press("Enter")
    code = page.get_by_role("tab", name="Code", exact=True)
    page.wait_for_function(
        "() => document.querySelector('#ws-tab-code')?.getAttribute('aria-selected') === 'true'"
    )
    assert page.locator("#fix").is_visible()

    # Step 2, the fix: the folded file tree opens with Space, Enter opens settings.py.
    _tab_until(page, lambda f: f["text"].startswith("All files"), limit=60)
    page.keyboard.press(" ")
    toggle = page.get_by_role("button", name=re.compile("^All files"))
    assert toggle.get_attribute("aria-expanded") == "true"
    number = page.locator("label.file-label", has_text="settings.py").first.get_attribute("for")
    number = number.removeprefix("file-input-")
    _tab_until(page, lambda f: f["link"] == number, limit=60)
    page.keyboard.press("Enter")
    focus = _visible_focus(page)
    if not (focus["editor"] and focus["pane"] == number):
        _tab_until(page, lambda f: f["editor"] and f["pane"] == number, limit=30)
    assert page.get_by_role("tab", name="settings.py").get_attribute("aria-selected") == "true"
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text((LABS / "flask-debug-console/solution/settings.py").read_text())
    assert "default=False" in page.locator(f"#file-{number} .cm-content").inner_text()
    shots(page, "fix-typed")

    # Ctrl+Enter runs the public tests: the Results tab comes forward with their output, and the
    # focus goes with it (not back to the top of the page).
    page.keyboard.press("Control+Enter")
    title = page.locator("#results .verdict-title")
    title.wait_for(timeout=60_000)
    assert title.inner_text().startswith("Public tests")
    focus = _visible_focus(page)
    assert (focus["tablist"], focus["text"], focus["selected"]) == ("Workspace", "Results", "true")
    assert page.url.startswith(lab_url)
    page.wait_for_timeout(1500)  # a run may not start while the previous one is in flight

    # Back to the code along the tab list, into the editor, and Ctrl+Shift+Enter submits.
    _arrow_to(page, "Code", key="ArrowLeft")
    _tab_until(page, lambda f: f["editor"] and f["pane"] == number, limit=40)
    page.keyboard.press("Control+Shift+Enter")
    finished = '#results #submission-status[data-run-kind="submit"][data-run-finished]'
    page.locator(finished).wait_for(timeout=60_000)
    assert title.inner_text() == "Passed"
    checks = len(flask_lab.published_version.checks)
    assert page.locator("#results .check-passed").count() == checks
    shots(page, "passed")

    # The verdict's link to the explanation, by keyboard: the Brief tab opens at it.
    page.keyboard.press("Escape")
    _tab_until(page, lambda f: f["text"] == "Read the explanation")
    page.keyboard.press("Enter")
    explanation = page.locator("#explanation .markdown")
    explanation.wait_for()
    assert explanation.inner_text().strip() != ""
    first_tab = page.get_by_role("tab", name="Brief", exact=True)
    assert first_tab.get_attribute("aria-selected") == "true"
    assert code.get_attribute("aria-selected") == "false"
    shots(page, "explanation")
    assert errors == []
