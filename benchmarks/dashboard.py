"""The manager dashboard and its CSV export for a 500-member team, as ratios against a trivial
page (/healthz) served by the same Django in the same run.

The team has a realistic history, bulk-created: four assigned labs of different classes, a quiz
and a path, each member with lab sessions, several graded fixes (some still exploitable), quiz
attempts and articles read over the last weeks. Query counts do not grow with the team (a test
asserts it); this measures what the Python side costs per member.

Run with `make bench` (or `.venv/bin/python benchmarks/dashboard.py`). `BENCH_MEMBERS` sets the
team size (500), `BENCH_ROUNDS` the requests per page (20). Uses a throwaway SQLite database
under a temporary folder, so it never touches your data.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
_tmp = tempfile.mkdtemp(prefix="patchwise-bench-")
os.environ["PATCHWISE_VAR_DIR"] = _tmp
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from courses.models import (  # noqa: E402
    ArticleProgress,
    LearningPath,
    PathStep,
    QuizAttempt,
    Status,
    StepKind,
)
from labs.models import CheckResult, JobStatus, LabSession, Submission  # noqa: E402
from portal.models import User  # noqa: E402
from teams.models import Assignment, AssignmentKind, Membership, Role, Team  # noqa: E402
from tests.factories import make_article, make_lab, make_quiz  # noqa: E402

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "500"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
CLASSES = ("sql-injection", "cross-site-scripting", "ssrf", "path-traversal")
VERDICTS = ("passed", "still_exploitable", "broken", "still_exploitable", "passed")


def build_team(manager: User) -> Team:
    """A team of MEMBERS people with varied, realistic progress (bulk inserts, a few seconds)."""
    rng = random.Random(11)
    now = timezone.now()
    labs = [make_lab(f"bench-{cls}", vulnerability_class=cls) for cls in CLASSES]
    quiz = make_quiz("bench-quiz")
    articles = [make_article(f"bench-article-{i}") for i in range(3)]
    path = LearningPath.objects.create(
        slug="bench-path",
        title="Bench path",
        summary="Three articles and a lab.",
        status=Status.PUBLISHED,
    )
    for i, article in enumerate(articles):
        PathStep.objects.create(path=path, position=i, kind=StepKind.ARTICLE, article=article)
    PathStep.objects.create(path=path, position=9, kind=StepKind.LAB, lab=labs[0])

    team = Team.objects.create(name="Benchmark team", slug="benchmark-team")
    Membership.objects.create(team=team, user=manager, role=Role.MANAGER)
    users = User.objects.bulk_create(
        User(email=f"member{i}@example.com", display_name=f"Member {i:03d}", password="!")
        for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(Membership(team=team, user=u) for u in users)
    for i, lab in enumerate(labs):
        Assignment.objects.create(
            team=team, kind=AssignmentKind.LAB, lab=lab, due_at=now + timedelta(days=7 * i - 7)
        )
    Assignment.objects.create(
        team=team, kind=AssignmentKind.QUIZ, quiz=quiz, due_at=now + timedelta(days=3)
    )
    chosen = Assignment.objects.create(
        team=team,
        kind=AssignmentKind.PATH,
        path=path,
        whole_team=False,
        due_at=now - timedelta(days=2),
    )
    chosen.assignees.add(*users[::2])

    sessions, planned = [], []
    for user in users:
        for lab in labs:
            if rng.random() < 0.3:
                continue
            tries = [rng.choice(VERDICTS) for _ in range(rng.randint(1, 4))]
            days = [rng.uniform(0, 55) for _ in tries]
            solved = [d for v, d in zip(tries, days, strict=True) if v == "passed"]
            sessions.append(
                LabSession(
                    user=user,
                    lab=lab,
                    version=lab.published_version,
                    solved_at=now - timedelta(days=min(solved)) if solved else None,
                    score=100 - 10 * rng.randint(0, 3) if solved else None,
                )
            )
            planned.append(list(zip(tries, days, strict=True)))
    sessions = LabSession.objects.bulk_create(sessions)
    subs = Submission.objects.bulk_create(
        Submission(
            session=s,
            version=s.version,
            files={"app.py": f"# try {n}\n"},
            status=JobStatus.FINISHED,
            verdict=verdict,
            created_at=now - timedelta(days=d),
            finished_at=now - timedelta(days=d),
        )
        for s, tries in zip(sessions, planned, strict=True)
        for n, (verdict, d) in enumerate(tries)
    )
    CheckResult.objects.bulk_create(
        CheckResult(
            submission=sub,
            position=k,
            test=f"test_{k}",
            title=f"Check {k}",
            kind="security" if k < 2 else "functional",
            outcome="failed"
            if (sub.verdict == "still_exploitable" and k == 1)
            or (sub.verdict == "broken" and k == 2)
            else "passed",
        )
        for sub in subs
        for k in range(4)
    )
    attempts = []
    for user in users:
        for _ in range(rng.randint(0, 3)):
            when = now - timedelta(days=rng.uniform(0, 55))
            score = rng.choice((40, 60, 75, 90, 100))
            attempts.append(
                QuizAttempt(
                    user=user,
                    quiz=quiz,
                    started_at=when,
                    finished_at=when,
                    score=score,
                    passed=score >= quiz.pass_mark,
                )
            )
    QuizAttempt.objects.bulk_create(attempts)
    ArticleProgress.objects.bulk_create(
        ArticleProgress(user=u, article=a, completed_at=now - timedelta(days=rng.uniform(0, 55)))
        for u in users
        for a in articles
        if rng.random() < 0.6
    )
    return team


def measure(client: Client, url: str) -> tuple[float, int]:
    """Median seconds per GET (body read in full) over ROUNDS requests, and queries per GET."""

    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    for _ in range(3):
        get()
    reset_queries()  # the log is capped (9,000 entries): a full one would count nothing
    with CaptureQueriesContext(connection) as ctx:
        get()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        get()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), len(ctx.captured_queries)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from portal.services import user_create_verified

    bob, _ = user_create_verified(email="bob@example.com", password="bench-password-1")
    started = time.perf_counter()
    team = build_team(bob)
    print(
        f"built a {MEMBERS}-member team: {Submission.objects.count()} graded fixes, "
        f"{QuizAttempt.objects.count()} quiz attempts in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(bob)
    base = f"/teams/{team.slug}/dashboard/"
    baseline, _ = measure(client, "/healthz")
    rows = [
        ("dashboard", *measure(client, base)),
        ("dashboard, sorted", *measure(client, base + "?sort=-overdue")),
        ("chart data (JSON)", *measure(client, base + "activity.json")),
        ("CSV export", *measure(client, base + "export.csv")),
    ]
    print(f"baseline: /healthz {baseline * 1000:.2f} ms (median of {ROUNDS})")
    for name, seconds, queries in rows:
        print(
            f"{name:<20} {seconds * 1000:8.2f} ms  ratio {seconds / baseline:7.1f}x  "
            f"{queries} queries"
        )


if __name__ == "__main__":
    main()
