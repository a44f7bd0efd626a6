"""The dashboard costs the same number of queries for 5 members as for 500: its selectors, the
chart data and the CSV export each read in batches, never once per member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import ArticleProgress, QuizAttempt
from labs.models import CheckResult, JobStatus, LabSession, Submission
from portal.models import User
from teams.models import Assignment, AssignmentKind, Membership, Role
from teams.selectors.activity import team_activity
from teams.selectors.dashboard import team_dashboard
from teams.selectors.export import export_rows
from teams.selectors.progress import assignment_progress
from teams.selectors.weakness import weakness_detail, weakness_map
from tests.factories import make_lab, make_quiz, make_team

pytestmark = pytest.mark.django_db


def _history(size: int, lab: Any, quiz: Any, path: Any) -> Any:
    """A team of ``size`` members, bulk-created, each with a lab session, two graded fixes (one
    failing a security check), a quiz attempt and an article read."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"m{size}-{i}@example.com", display_name=f"Member {i}", password="!")
        for i in range(size)
    )
    team = make_team(name=f"Team of {size}")
    Membership.objects.bulk_create(Membership(team=team, user=u, role=Role.MEMBER) for u in users)
    for kind, target in ((AssignmentKind.LAB, lab), (AssignmentKind.QUIZ, quiz)):
        Assignment.objects.create(
            team=team, kind=kind, due_at=now - timedelta(days=1), **{kind: target}
        )
    chosen = Assignment.objects.create(
        team=team, kind=AssignmentKind.PATH, path=path, whole_team=False, due_at=now
    )
    chosen.assignees.add(*users[: max(1, size // 2)])
    version = lab.published_version
    sessions = LabSession.objects.bulk_create(
        LabSession(user=u, lab=lab, version=version, solved_at=now if i % 2 else None)
        for i, u in enumerate(users)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            session=s,
            version=version,
            files={},
            status=JobStatus.FINISHED,
            verdict=verdict,
            finished_at=now,
        )
        for s in sessions
        for verdict in ("still_exploitable", "passed")
    )
    CheckResult.objects.bulk_create(
        CheckResult(
            submission=sub,
            test="t",
            title="Blocks the attack",
            kind="security",
            outcome="failed" if sub.verdict == "still_exploitable" else "passed",
        )
        for sub in submissions
    )
    QuizAttempt.objects.bulk_create(
        QuizAttempt(user=u, quiz=quiz, finished_at=now, score=50 + i % 50, passed=i % 3 == 0)
        for i, u in enumerate(users)
    )
    article = path.steps.get(position=1).article
    ArticleProgress.objects.bulk_create(
        ArticleProgress(user=u, article=article, completed_at=now) for u in users
    )
    return team


def _count(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


@pytest.fixture
def teams(path_with_steps):
    lab = make_lab("counted-lab")
    quiz = make_quiz("counted-quiz")
    return _history(5, lab, quiz, path_with_steps), _history(500, lab, quiz, path_with_steps)


def _progress(team: Any) -> None:
    grid = assignment_progress(team=team)
    [grid.status(a, u) for a in grid.assignments for u in grid.members]


SELECTORS: dict[str, Callable[[Any], Any]] = {
    "progress grid": _progress,
    "dashboard": lambda team: team_dashboard(team=team, sort="-completion"),
    "activity": lambda team: team_activity(team=team).chart_data(),
    "weakness map": lambda team: weakness_map(team=team),
    "weakness detail": lambda team: weakness_detail(team=team, vulnerability_class="sql-injection"),
    "csv rows": lambda team: list(export_rows(team=team)),
}


@pytest.mark.parametrize("name", list(SELECTORS))
def test_selector_query_count_does_not_grow_with_the_team(teams, name):
    small, large = teams
    action = SELECTORS[name]
    assert _count(lambda: action(small)) == _count(lambda: action(large))
    assert _count(lambda: action(large)) <= 12


def test_pages_cost_the_same_for_5_and_500_members(teams, bob):
    small, large = teams
    for team in (small, large):
        Membership.objects.create(team=team, user=bob, role=Role.MANAGER)
    client = Client()
    client.force_login(bob)

    def page(name: str, team: Any) -> Callable[[], Any]:
        def run() -> None:
            response = client.get(reverse(name, args=[team.slug]))
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)

        return run

    for name in ("teams:dashboard", "teams:activity-data", "teams:export-csv"):
        assert _count(page(name, small)) == _count(page(name, large)), name
