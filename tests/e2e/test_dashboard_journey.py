"""Bob's dashboard in a real browser, under the real CSP: the chart draws from its JSON, the
member table sorts, the weakness map leads to the drill-down, a member's fix shows its diff, and
the page fits a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from teams.models import Assignment, AssignmentKind
from tests.e2e.conftest import axe_violations, sign_in
from tests.factories import (
    UserFactory,
    make_graded_fix,
    make_lab,
    make_quiz,
    make_quiz_attempt,
    make_team,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(alice, bob):
    dave = UserFactory(email="dave@example.com", display_name="Dave")
    team = make_team(name="Blue team", managers=[bob], members=[alice, dave])
    lab = make_lab("blue-sqli", title="Search box SQLi")
    quiz = make_quiz("blue-quiz")
    Assignment.objects.create(
        team=team, kind=AssignmentKind.LAB, lab=lab, due_at=timezone.now() - timedelta(days=1)
    )
    Assignment.objects.create(
        team=team, kind=AssignmentKind.QUIZ, quiz=quiz, due_at=timezone.now() + timedelta(days=3)
    )
    make_graded_fix(alice, lab, verdict="still_exploitable", security=("failed",))
    make_graded_fix(alice, lab, verdict="passed", files={"app.py": "SAFE = True\n"})
    make_quiz_attempt(dave, quiz, score=40.0)
    return team


def _strict_page(browser):
    """A page that keeps the site's CSP (the shared fixture bypasses it for axe)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type == "error" else None,
    )
    return context, page, problems


def test_dashboard_chart_sorting_drilldown_and_review(
    live_server, browser, team, alice, bob, password
):
    base = live_server.url
    context, page, problems = _strict_page(browser)
    sign_in(page, base, bob.email, password)
    page.goto(f"{base}/teams/{team.slug}/dashboard/")

    # The chart is drawn once its section comes near the screen (Chart.js is fetched then); its
    # holder is shown once the JSON arrived, and the table folds away.
    page.locator("#dash-activity").scroll_into_view_if_needed()
    page.locator("[data-activity-chart]:not([hidden]) canvas").wait_for()
    assert page.locator("[data-activity-table]").get_attribute("open") is None
    assert problems == []

    # Sorting by overdue (highest first) puts Dave, who has not started the overdue lab, first.
    members = page.locator("#members table")
    page.locator("#members").get_by_role("button", name="Overdue").click()
    assert members.locator("thead th[data-sort-key=overdue]").get_attribute("aria-sort") == (
        "descending"
    )
    assert members.locator("tbody tr").first.locator("th").inner_text().startswith("Dave")
    page.locator("#members").get_by_role("button", name="Member").click()
    assert members.locator("tbody tr").first.locator("th").inner_text().startswith("Alice")

    # The weakness map's cell leads to the checks failed most.
    page.locator(".weak-map tbody").get_by_role("link", name="50%").click()
    assert page.get_by_role("heading", name="SQL injection").is_visible()
    assert page.get_by_role("rowheader", name="Security check 0").is_visible()

    # From the member's page, Bob reviews Alice's fix and its diff.
    page.goto(f"{base}/teams/{team.slug}/members/{alice.pk}/")
    page.get_by_role("link", name="Review").first.click()
    assert page.get_by_text("SAFE = True").first.is_visible()
    assert problems == []
    context.close()


def test_dashboard_fits_a_phone_and_passes_axe(live_server, browser, page, team, bob, password):
    base = live_server.url
    sign_in(page, base, bob.email, password)
    page.goto(f"{base}/teams/{team.slug}/dashboard/")
    page.locator("#dash-activity").scroll_into_view_if_needed()
    page.locator("[data-activity-chart]:not([hidden]) canvas").wait_for()
    assert axe_violations(page) == []

    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    small = phone.new_page()
    sign_in(small, base, bob.email, password)
    small.goto(f"{base}/teams/{team.slug}/dashboard/")
    overflow = small.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    phone.close()
