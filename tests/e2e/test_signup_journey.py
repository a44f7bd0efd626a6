"""Signing in on a phone. Signing up and confirming the e-mail is journey 1
(test_journey_newcomer.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_signin_page_works_on_a_phone(live_server, phone_page, alice, password) -> None:
    phone_page.goto(live_server.url + "/accounts/login/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the sign-in page scrolls sideways on a phone"
    phone_page.get_by_label("Email").fill(alice.email)
    phone_page.get_by_label("Password").fill(password)
    phone_page.get_by_role("button", name="Sign in").click()
    phone_page.wait_for_url(live_server.url + "/")
    assert phone_page.get_by_role("heading", name="Welcome, Alice").is_visible()
