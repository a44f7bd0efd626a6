"""`seed_demo` gives bob a team whose dashboard is alive on first run, made through the real
services (fixes graded in the sandbox, quizzes scored by the quiz service), and adds nothing when
run again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from courses.models import ArticleProgress, QuizAttempt
from labs.models import LabSession, Submission, Verdict
from portal.demo import DEMO_INVITED_EMAIL, DEMO_MEMBERS, DEMO_TEAM_SLUG
from portal.models import User
from teams.models import Assignment, Invitation, Membership, ReminderSent, Role, Team
from teams.selectors.dashboard import team_dashboard
from tests.factories import store_published

pytestmark = pytest.mark.django_db

MEMBER_EMAILS = [m.email for m in DEMO_MEMBERS]


@pytest.fixture
def published_labs(settings) -> None:
    """Every lab of the catalogue stored and published as if validated: the seed's content load
    then finds them unchanged, so these tests grade only the demo's fixes (the catalogue's own
    validation has its test in tests/labs/test_lab_catalogue_valid.py)."""
    settings.DEBUG = True  # seed_demo refuses to run without it
    for folder in sorted(settings.LAB_CONTENT_DIR.iterdir()):
        if (folder / "lab.toml").is_file():
            store_published(folder.name)


def dashboard_as_bob() -> str:
    client = Client()
    client.force_login(User.objects.get(email="bob@example.com"))
    response = client.get(f"/teams/{DEMO_TEAM_SLUG}/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "memberships": Membership.objects.count(),
        "assignments": Assignment.objects.count(),
        "invitations": Invitation.objects.count(),
        "attempts": QuizAttempt.objects.count(),
        "reads": ArticleProgress.objects.count(),
        "sessions": LabSession.objects.count(),
        "submissions": Submission.objects.count(),
    }


@pytest.mark.sandbox
def test_seed_demo_grades_real_fixes_and_bob_sees_a_live_dashboard(published_labs, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "graded in the sandbox" in out, out

    members = User.objects.filter(email__in=MEMBER_EMAILS)
    submissions = Submission.objects.filter(session__user__in=members)
    assert 10 <= submissions.count() <= 40  # real gradings, and few enough to stay quick
    assert not submissions.exclude(status="finished").exists()
    verdicts = set(submissions.values_list("verdict", flat=True))
    assert {Verdict.PASSED, Verdict.STILL_EXPLOITABLE} <= verdicts
    assert Verdict.GRADER_ERROR not in verdicts
    solved = LabSession.objects.filter(user__in=members, solved_at__isnull=False)
    failed = LabSession.objects.filter(user__in=members, solved_at__isnull=True)
    assert solved.exists() and failed.filter(submissions__isnull=False).exists()
    # Dated over the last weeks, so the activity chart has a shape.
    weeks = {s.finished_at.isocalendar()[:2] for s in submissions}
    assert len(weeks) >= 3
    assert all(s.finished_at <= timezone.now() for s in submissions)

    team = Team.objects.get(slug=DEMO_TEAM_SLUG)
    board = team_dashboard(team=team)
    assert board.summary.members == len(DEMO_MEMBERS)
    assert board.summary.labs_solved > 0
    assert board.summary.overdue > 0
    assert board.summary.mean_best_quiz is not None
    assert 0 < board.summary.completed < board.summary.assigned
    html = dashboard_as_bob()
    assert "Priya Nair" in html and "Overdue" in html


def test_seed_demo_without_sandbox_seeds_the_rest_and_says_so_once(published_labs, capsys):
    call_command("seed_demo", "--no-sandbox")
    out = capsys.readouterr().out
    assert "lab history skipped" in out
    assert not Submission.objects.exists()

    team = Team.objects.get(slug=DEMO_TEAM_SLUG)
    roles = dict(team.memberships.values_list("user__email", "role"))
    assert roles.pop("bob@example.com") == Role.MANAGER
    assert set(roles) == set(MEMBER_EMAILS) and set(roles.values()) == {Role.MEMBER}
    now = timezone.now()
    assignments = list(team.assignments.all())
    assert {a.kind for a in assignments} == {"path", "quiz", "lab"}
    assert any(a.due_at < now for a in assignments)  # one already overdue
    assert any(now < a.due_at <= now + timedelta(days=3) for a in assignments)
    assert team.invitations.get().email == DEMO_INVITED_EMAIL

    scores = list(
        QuizAttempt.objects.filter(user__team_memberships__team=team).values_list(
            "score", flat=True
        )
    )
    assert len(scores) >= 5 and len(set(scores)) >= 3  # varied, really scored
    assert ArticleProgress.objects.filter(completed_at__isnull=False).count() >= 10
    board = team_dashboard(team=team)
    assert board.summary.overdue > 0 and board.summary.mean_best_quiz is not None
    assert "Overdue" in dashboard_as_bob()
    assert not ReminderSent.objects.exists()  # the seed itself mails no one

    first = counts()
    call_command("seed_demo", "--no-sandbox")
    assert counts() == first
    assert "Payments squad exists, left as it is" in capsys.readouterr().out


def test_lab_history_is_skipped_with_a_clear_line_when_the_sandbox_is_missing(
    published_labs, monkeypatch, capsys
):
    from labs.services import engine

    monkeypatch.setattr(
        engine, "unavailable_reason", lambda: "bubblewrap is not installed (/usr/bin/bwrap)"
    )
    call_command("seed_demo_labs")
    out = capsys.readouterr().out
    assert "lab history skipped: the grading sandbox is not available here" in out
    assert "bubblewrap is not installed" in out
    assert not LabSession.objects.exists()


def test_seed_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--no-sandbox")
