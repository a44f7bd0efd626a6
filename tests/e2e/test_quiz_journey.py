"""A quiz without JavaScript on a phone. Answering wrong, reading why, then passing on a second
attempt is journey 1 (test_journey_newcomer.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_quiz_works_without_javascript_on_a_phone(live_server, browser, alice, password) -> None:
    quiz = make_quiz(shuffle_questions=False)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name="Start the quiz").click()
    tf = page.locator("section.question").nth(2)
    tf.get_by_label("True").check()
    tf.get_by_role("button", name="Check answer").click()
    assert page.locator("section.question").nth(2).get_by_text("Correct.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
