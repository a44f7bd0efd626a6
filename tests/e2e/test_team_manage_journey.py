"""Bob creates a team, invites a newcomer (who signs up) and Alice (who signs in), assigns a lab
with a due date, and Alice finds it on her team page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from teams.models import Membership, Role, Team
from tests.factories import make_lab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-good-long-passphrase-77"


def _sign_in(page, base: str, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _invite(page, email: str) -> str:
    """Send an invitation from the Members page; returns the link e-mailed to the address."""
    sent = len(mail.outbox)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text(f"Invitation sent to {email}").is_visible()
    assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [email]
    return re.search(r"http://\S+/teams/join/\S+/", mail.outbox[-1].body).group(0)


def test_manager_invites_assigns_and_member_sees_it(
    live_server, browser, page, alice, bob, password
) -> None:
    make_lab("team-sqli", title="Search injection")
    base = live_server.url

    # Bob creates a team from the Teams page.
    page.goto(base + "/accounts/login/")
    _sign_in(page, base, bob.email, password)
    page.wait_for_url(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Create a team").first.click()
    page.get_by_label("Name").fill("Blue team")
    page.get_by_role("button", name="Create the team").click()
    page.wait_for_url(base + "/teams/blue-team/")
    assert page.get_by_role("heading", name="Blue team").is_visible()

    # He invites a newcomer and Alice.
    page.get_by_role("navigation", name="Team pages").get_by_role("link", name="Members").click()
    newcomer_link = _invite(page, "newcomer@example.com")
    alice_link = _invite(page, alice.email)
    assert page.get_by_role("cell", name=re.compile("newcomer@example.com")).is_visible()

    # The newcomer opens the link, signs up with the address filled in, confirms it, and lands
    # in the team.
    newcomer = browser.new_context(viewport={"width": 375, "height": 740}, bypass_csp=True)
    other = newcomer.new_page()
    other.goto(newcomer_link)
    assert other.get_by_role("heading", name="Join Blue team").is_visible()
    other.get_by_role("link", name="Create an account").click()
    assert other.get_by_label("Email").input_value() == "newcomer@example.com"
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_label("Password (again)").fill(PASSWORD)
    other.get_by_role("button", name="Create account").click()
    assert other.get_by_role("heading", name="Check your email").is_visible()
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    other.goto(confirm)
    other.get_by_role("button", name="Confirm").click()
    other.wait_for_url(base + "/teams/blue-team/")
    assert other.get_by_text("Welcome to Blue team").is_visible()
    assert other.evaluate("document.documentElement.scrollWidth") <= 375
    newcomer.close()
    team = Team.objects.get(slug="blue-team")
    assert Membership.objects.get(team=team, user__email="newcomer@example.com").role == Role.MEMBER

    # Bob assigns the lab, due in three days.
    page.get_by_role("navigation", name="Team pages").get_by_role(
        "link", name="Assignments"
    ).click()
    page.get_by_label("What to assign").select_option(label="Search injection")
    due = timezone.localtime() + timedelta(days=3)
    page.get_by_label("Due").fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Note").fill("Before the release, please")
    page.get_by_role("button", name="Assign").click()
    assert page.get_by_text("Assigned Search injection.").is_visible()
    assert page.get_by_role("cell", name="Whole team").is_visible()

    # Alice, who has an account, opens her link, signs in and joins; the lab is on her page.
    member = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    hers = member.new_page()
    hers.goto(alice_link)
    hers.get_by_role("link", name="Sign in").last.click()
    _sign_in(hers, base, alice.email, password)
    hers.wait_for_url(base + "/teams/blue-team/")
    assert hers.get_by_text("Welcome to Blue team").is_visible()
    item = hers.locator(".assignment-item", has_text="Search injection")
    assert item.get_by_text("Not started").is_visible()
    assert item.get_by_text("Before the release, please").is_visible()
    assert item.get_by_text(due.strftime("%-d %b %Y")).is_visible()
    hers.get_by_role("link", name="Search injection").click()
    hers.wait_for_url(re.compile(r".*/labs/team-sqli/"))
    member.close()
    assert page.js_errors == []
