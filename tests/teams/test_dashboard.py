"""The manager dashboard, the chart data, the weakness drill-down and member review: what a
manager sees, and that nobody else sees anything (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import Assignment, AssignmentKind
from tests.factories import (
    UserFactory,
    make_graded_fix,
    make_lab,
    make_quiz,
    make_quiz_attempt,
    make_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(alice, bob, charlie):
    """Bob manages; alice and dave are members; charlie is in no team."""
    dave = UserFactory(email="dave@example.com", display_name="Dave")
    team = make_team(name="Blue team", managers=[bob], members=[alice, dave])
    lab = make_lab("blue-sqli", title="Search box SQLi")
    xss = make_lab("blue-xss", title="Comment XSS", vulnerability_class="cross-site-scripting")
    quiz = make_quiz("blue-quiz")
    Assignment.objects.create(
        team=team, kind=AssignmentKind.LAB, lab=lab, due_at=timezone.now() - timedelta(days=1)
    )
    Assignment.objects.create(
        team=team, kind=AssignmentKind.QUIZ, quiz=quiz, due_at=timezone.now() + timedelta(days=5)
    )
    make_graded_fix(alice, lab, verdict="still_exploitable", security=("failed", "passed"))
    make_graded_fix(alice, lab, verdict="passed", files={"app.py": "print('fixed')\n"})
    make_graded_fix(dave, xss, verdict="still_exploitable", security=("failed",))
    make_quiz_attempt(alice, quiz, score=90.0)
    return team


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _urls(team, alice) -> list[str]:
    sub = team and alice.lab_sessions.get(lab__slug="blue-sqli").submissions.first()
    return [
        reverse("teams:dashboard", args=[team.slug]),
        reverse("teams:activity-data", args=[team.slug]),
        reverse("teams:weakness-detail", args=[team.slug, "sql-injection"]),
        reverse("teams:export-csv", args=[team.slug]),
        reverse("teams:member-detail", args=[team.slug, alice.pk]),
        reverse("teams:member-submission", args=[team.slug, alice.pk, sub.pk]),
    ]


def test_manager_opens_every_dashboard_page(team, alice, bob):
    client = _client(bob)
    for url in _urls(team, alice):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["alice", "charlie", "other_manager"])
def test_everyone_but_the_manager_gets_404(team, alice, charlie, who):
    other_manager = UserFactory(email="olga@example.com")
    make_team(name="Red team", managers=[other_manager], members=[charlie])
    user = {"alice": alice, "charlie": charlie, "other_manager": other_manager}[who]
    client = _client(user)
    for url in _urls(team, alice):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitor_is_sent_to_sign_in(team, alice):
    client = _client()
    for url in _urls(team, alice):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_superuser_sees_any_dashboard(team, alice):
    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    assert _client(admin).get(reverse("teams:dashboard", args=[team.slug])).status_code == 200


def test_dashboard_shows_summary_members_overdue_and_weakness_map(team, bob):
    response = _client(bob).get(reverse("teams:dashboard", args=[team.slug]))
    html = response.content.decode()
    summary = response.context["summary"]
    # Two members x two assignments; alice finished both, dave neither, his lab is overdue.
    assert (summary.members, summary.assigned, summary.completed) == (2, 4, 2)
    assert summary.completion_percent == 50
    assert summary.overdue == 1 and summary.labs_solved == 1
    assert summary.mean_best_quiz == 90.0
    assert "Alice" in html and "Dave" in html and "Search box SQLi" in html
    assert 'class="is-overdue"' in html
    # Weakness map: alice 1 of 2 fixes failed for SQLi, dave 1 of 1 for XSS; links to drill-down.
    assert "1 of 2 failed" in html and "1 of 1 failed" in html
    assert reverse("teams:weakness-detail", args=[team.slug, "cross-site-scripting"]) in html
    assert "Fix submissions graded" in html  # the accessible table of the chart


def test_member_table_sorts_on_the_server_without_javascript(team, bob):
    url = reverse("teams:dashboard", args=[team.slug])
    by_completion = _client(bob).get(url, {"sort": "-completion"})
    names = [row.user.name for row in by_completion.context["board"].members]
    assert names == ["Alice", "Dave"]
    by_overdue = _client(bob).get(url, {"sort": "-overdue"})
    assert [row.user.name for row in by_overdue.context["board"].members] == ["Dave", "Alice"]
    assert 'aria-sort="descending"' in by_overdue.content.decode()
    assert _client(bob).get(url, {"sort": "<script>"}).status_code == 200


def test_activity_json_has_eight_weeks_with_this_weeks_work(team, bob):
    data = _client(bob).get(reverse("teams:activity-data", args=[team.slug])).json()
    assert len(data["labels"]) == 8
    series = {d["key"]: d["data"] for d in data["datasets"]}
    assert series["submissions_graded"][-1] == 3
    assert series["labs_solved"][-1] == 1
    assert series["quiz_attempts"][-1] == 1
    assert sum(series["articles_read"]) == 0


def test_weakness_drilldown_lists_failed_checks(team, bob, alice):
    url = reverse("teams:weakness-detail", args=[team.slug, "sql-injection"])
    response = _client(bob).get(url)
    html = response.content.decode()
    detail = response.context["detail"]
    assert [(c.title, c.failures) for c in detail.checks] == [("Security check 0", 1)]
    assert [r.user for r in detail.members] == [alice]
    assert "Security check 0" in html and "Search box SQLi" in html
    unknown = reverse("teams:weakness-detail", args=[team.slug, "no-such-class"])
    assert _client(bob).get(unknown).status_code == 404


def test_member_detail_and_submission_review_with_diff(team, bob, alice):
    detail = _client(bob).get(reverse("teams:member-detail", args=[team.slug, alice.pk]))
    html = detail.content.decode()
    assert "Still exploitable" in html and "Passed" in html and "Tiny quiz" in html
    latest = alice.lab_sessions.get(lab__slug="blue-sqli").submissions.order_by("-id").first()
    page = _client(bob).get(
        reverse("teams:member-submission", args=[team.slug, alice.pk, latest.pk])
    )
    text = page.content.decode()
    assert "print(&#x27;fixed&#x27;)" in text  # the diff against the starter
    assert "Against the previous try" in text
    assert "Security check 0" in text


def test_member_pages_404_for_other_people_and_submissions(team, bob, alice, charlie):
    client = _client(bob)
    assert (
        client.get(reverse("teams:member-detail", args=[team.slug, charlie.pk])).status_code == 404
    )
    dave_sub = (
        team.memberships.get(user__email="dave@example.com")
        .user.lab_sessions.get()
        .submissions.get()
    )
    # Dave's submission under Alice's address, and Charlie's (not a member) are both 404.
    url = reverse("teams:member-submission", args=[team.slug, alice.pk, dave_sub.pk])
    assert client.get(url).status_code == 404
    lab = make_lab("charlie-lab")
    theirs = make_graded_fix(charlie, lab)
    url = reverse("teams:member-submission", args=[team.slug, charlie.pk, theirs.pk])
    assert client.get(url).status_code == 404


def test_weakness_counts_only_failed_security_checks(bob, alice):
    team = make_team(name="Weak team", managers=[bob], members=[alice])
    lab = make_lab("weak-ssrf", vulnerability_class="ssrf")
    make_graded_fix(alice, lab, verdict="broken", functional=("failed",))
    make_graded_fix(alice, lab, verdict="still_exploitable", security=("passed", "error"))
    make_graded_fix(alice, lab, verdict="grader_error", security=("failed",))  # does not count
    response = _client(bob).get(reverse("teams:dashboard", args=[team.slug]))
    (row,) = response.context["weakness"].rows
    (cell,) = row.cells
    assert (cell.graded, cell.failed, cell.percent) == (2, 1, 50)


def test_public_test_runs_are_not_reviewed(team, bob, alice):
    from labs.models import SubmissionKind

    run = make_graded_fix(alice, team.assignments.get(kind="lab").lab, verdict="passed")
    run.kind = SubmissionKind.PUBLIC_TESTS
    run.save(update_fields=["kind"])
    url = reverse("teams:member-submission", args=[team.slug, alice.pk, run.pk])
    assert _client(bob).get(url).status_code == 404


def test_a_new_team_has_a_dashboard_that_says_what_to_do(bob):
    team = make_team(name="Empty team", managers=[bob])
    client = _client(bob)
    html = client.get(reverse("teams:dashboard", args=[team.slug])).content.decode()
    assert "No members yet" in html and "Nothing assigned yet" in html
    assert "No graded fixes yet" in html
    data = client.get(reverse("teams:activity-data", args=[team.slug])).json()
    assert all(sum(d["data"]) == 0 for d in data["datasets"])
    csv_body = b"".join(client.get(reverse("teams:export-csv", args=[team.slug])).streaming_content)
    assert csv_body.decode().strip().startswith("member,email,kind,item,due,status")
    assert len(csv_body.decode().strip().splitlines()) == 1
