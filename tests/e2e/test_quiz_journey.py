"""A learner answers a quiz question wrong, reads why, then gets it right on a second attempt."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import make_quiz

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_wrong_then_right_with_explanations(live_server, page, alice, password) -> None:
    quiz = make_quiz(shuffle_questions=False, shuffle_choices=False)
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + quiz.get_absolute_url())
    page.get_by_role("button", name="Start the quiz").click()

    question = page.locator("section.question").first
    question.get_by_label("uvicorn").check()
    question.get_by_role("button", name="Check answer").click()
    question = page.locator("section.question").first  # swapped in place by htmx
    question.get_by_text("Incorrect.").wait_for()
    assert question.get_by_text("SINGLE-EXPLANATION").is_visible()
    assert question.get_by_text("CHOICE-EXPLANATION-uvicorn").is_visible()
    assert question.get_by_role("link", name="Read the section of the article").is_visible()
    assert "Question 2" in page.locator("section.question").nth(1).inner_text()  # no reload

    spot = page.locator("section.question").nth(3)
    spot.get_by_label("(line 3)").check()
    spot.get_by_role("button", name="Check answer").click()
    page.locator("section.question").nth(3).get_by_text("Executing is fine").wait_for()

    page.get_by_role("button", name="Finish the quiz").click()
    assert page.get_by_role("heading", name="Your result").is_visible()
    assert page.locator(".score").inner_text() == "0%"

    page.get_by_role("link", name="Take it again").click()
    page.get_by_role("button", name="Try again").click()
    question = page.locator("section.question").first
    question.get_by_label("gunicorn").check()
    question.get_by_role("button", name="Check answer").click()
    page.locator("section.question").first.get_by_text("Correct.").wait_for()
    page.get_by_role("button", name="Finish the quiz").click()
    assert page.locator(".score").inner_text() == "25%"
    page.goto(live_server.url + quiz.get_absolute_url())
    assert page.get_by_text("Your best score: 25%").is_visible()
    assert page.js_errors == []


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
