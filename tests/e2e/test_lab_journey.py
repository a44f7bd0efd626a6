"""The lab page by keyboard, under axe, and without JavaScript. Hacking then fixing the lab with a
real worker is journey 1 (test_journey_newcomer.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
