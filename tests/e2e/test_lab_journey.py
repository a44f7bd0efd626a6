"""A learner hacks, then fixes, the Flask debug-console lab in Chromium, graded by a real worker."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, replace_editor_text, sign_in
from tests.factories import LABS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.worker
@pytest.mark.sandbox
def test_learner_exploits_then_fixes_the_lab(
    live_server, page, start_worker, alice, password, flask_lab
) -> None:
    start_worker()
    sign_in(page, live_server.url, alice.email, password)

    page.get_by_role("link", name="Labs", exact=True).click()
    page.get_by_role("link", name=flask_lab.title).click()
    assert page.get_by_role("heading", name="Step 1: exploit it").is_visible()

    # Step 1: the exploit, as a script typed into the code editor.
    page.get_by_label("A Python script").check()
    replace_editor_text(
        page, "ex-script", (LABS / "flask-debug-console/exploit/solve.py").read_text()
    )
    page.get_by_role("button", name="Send the attack").click()
    page.get_by_text("Flag captured").wait_for(timeout=45_000)
    page.get_by_role("link", name="On to the fix").click()

    # Step 2: edit settings.py in the editor; the draft autosaves.
    page.locator("[data-file-link]", has_text="settings.py").first.click()
    pane = page.locator(".file-pane", has=page.locator("label", has_text="settings.py")).first
    textarea_id = pane.locator("textarea").get_attribute("id")
    fixed = (LABS / "flask-debug-console/solution/settings.py").read_text()
    replace_editor_text(page, textarea_id, fixed)
    page.get_by_text("Draft saved at").wait_for(timeout=15_000)

    # The verdict and each check are shown in place, in the workspace's test output panel.
    page.get_by_role("button", name="Submit fix").click()
    page.locator("#results .verdict-title").wait_for(timeout=60_000)
    assert page.locator("#results .verdict-title").inner_text() == "Passed"
    assert page.locator(".check-passed").count() == len(flask_lab.published_version.checks)
    page.locator("#results").get_by_role("link", name="Details and diff").click()
    assert "settings.py" in page.locator(".diff").first.inner_text()

    page.get_by_role("link", name="Read the explanation").click()
    assert page.get_by_text("Score:").is_visible()
    assert page.locator("#explanation .markdown").inner_text().strip() != ""
    assert page.js_errors == []


def test_lab_page_is_usable_by_keyboard_and_passes_axe(
    live_server, page, alice, password, flask_lab
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    editor = page.locator(".file-pane:not([hidden]) .cm-content").first
    editor.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "cm-content" not in focused, "Escape then Tab must leave the code editor"
    assert axe_violations(page) == []


def test_without_javascript_the_fix_form_still_submits(
    live_server, browser, alice, password, flask_lab
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + flask_lab.get_absolute_url())
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Draft saved.").is_visible()
    page.get_by_role("button", name="Submit fix").click()
    assert page.get_by_role("heading", name="Your submission").is_visible()
    context.close()
