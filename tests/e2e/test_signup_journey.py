"""A newcomer signs up, confirms the email and lands on the home page signed in."""

from __future__ import annotations

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-good-long-passphrase-77"


def test_newcomer_signs_up_confirms_email_and_lands_signed_in(live_server, page) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Start learning, free").click()
    assert page.get_by_role("heading", name="Create your account").is_visible()

    # A mistake first: the passwords differ; the form says so and keeps the email.
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD + "x")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_text("You must type the same password each time.").is_visible()
    assert page.get_by_label("Email").input_value() == "newcomer@example.com"

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Welcome, newcomer").is_visible()
    assert page.get_by_text("newcomer", exact=True).first.is_visible()
    assert page.js_errors == []


def test_signin_page_works_on_a_phone(live_server, phone_page, alice, password) -> None:
    phone_page.goto(live_server.url + "/accounts/login/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the sign-in page scrolls sideways on a phone"
    phone_page.get_by_label("Email").fill(alice.email)
    phone_page.get_by_label("Password").fill(password)
    phone_page.get_by_role("button", name="Sign in").click()
    phone_page.wait_for_url(live_server.url + "/")
    assert phone_page.get_by_role("heading", name="Welcome, Alice").is_visible()
