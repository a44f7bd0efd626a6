"""Factories for test data; each builds what the real thing would have (e.g. a verified email,
a published lab version that passed validation)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from courses.models import Article, Choice, Question, Quiz, Status
from labs.models import Difficulty, Lab, LabVersion, ValidationStatus
from labs.services import lab_version_publish, lab_version_store, read_folder
from portal.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"
ROOT = Path(__file__).resolve().parents[1]
#: The pilot lab bundles, as authors keep them.
LABS = ROOT / "content" / "labs"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Give the user a verified primary address unless ``verified=False`` is passed."""
        if not create:
            return
        EmailAddress.objects.create(
            user=self, email=self.email, primary=True, verified=extracted is not False
        )


def store_published(slug: str, signatures: dict[str, list[str]] | None = None) -> LabVersion:
    """Store a pilot bundle and publish it as if validation had passed, without the sandbox.

    For tests that need a lab learners can open; validation itself is proven by the ``sandbox``
    tests (tests/labs/test_commands.py, tests/sandbox/), so these stay in the fast lane.
    """
    version, _ = lab_version_store(bundle=read_folder(LABS / slug), source=str(LABS / slug))
    version.validation_status = ValidationStatus.VALID
    version.validation_report = {"ok": True, "rules": [], "bad_fix_signatures": signatures or {}}
    version.save()
    lab_version_publish(version=version)
    version.lab.refresh_from_db()
    return version


def make_article(slug: str, *, status: str = Status.PUBLISHED, body: str = "", **extra) -> Article:
    return Article.objects.create(
        slug=slug,
        title=extra.pop("title", slug.replace("-", " ").title()),
        summary=extra.pop("summary", f"About {slug}."),
        body=body or f"## Intro\n\nText of {slug}.\n\n## Details\n\nMore.\n",
        status=status,
        published_at=timezone.now() if status == Status.PUBLISHED else None,
        **extra,
    )


SPOT_CODE = """q = request.args["q"]
sql = f"SELECT * FROM t WHERE a = '{q}'"
cursor.execute(sql)
"""


def make_quiz(slug: str = "tiny-quiz", **extra) -> Quiz:
    """A published quiz with one question of each kind."""
    quiz = Quiz.objects.create(
        slug=slug, title="Tiny quiz", description="Four questions.",
        status=extra.pop("status", Status.PUBLISHED), pass_mark=extra.pop("pass_mark", 75), **extra,
    )  # fmt: skip
    single = Question.objects.create(
        quiz=quiz, position=1, kind="single", prompt="Which is the WSGI server?",
        explanation="SINGLE-EXPLANATION: gunicorn serves WSGI.", article="first-article#details",
    )  # fmt: skip
    for i, (text, correct) in enumerate([("gunicorn", True), ("uvicorn", False), ("nginx", False)]):
        Choice.objects.create(
            question=single, position=i, text=text, correct=correct,
            explanation=f"CHOICE-EXPLANATION-{text}",
        )  # fmt: skip
    multiple = Question.objects.create(
        quiz=quiz, position=2, kind="multiple", scoring="partial",
        prompt="Which are injection weaknesses?", explanation="MULTIPLE-EXPLANATION",
    )  # fmt: skip
    for i, (text, correct) in enumerate(
        [("SQLi", True), ("XSS", True), ("CSRF", False), ("IDOR", False)]
    ):
        Choice.objects.create(
            question=multiple, position=i, text=text, correct=correct, explanation=f"why {text}"
        )
    Question.objects.create(
        quiz=quiz, position=3, kind="true_false", prompt="Django escapes templates by default.",
        explanation="TF-EXPLANATION", answer=True, true_explanation="Yes it does.",
        false_explanation="It does, actually.",
    )  # fmt: skip
    Question.objects.create(
        quiz=quiz, position=4, kind="spot_line", prompt="Which line is injectable?",
        explanation="SPOT-EXPLANATION", language="python",
        code=SPOT_CODE,
        answer_lines=[2], line_notes={"3": "Executing is fine; building the string is the bug."},
    )  # fmt: skip
    return quiz


# A published lab of any class and framework, for catalogue and compare tests.
APP_PY = """import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.get("/search")
def search():
    q = request.args.get("q", "")
    sql = f"SELECT title FROM notes WHERE title LIKE '%{q}%'"  # VULNERABLE-MARK
    return {"rows": db().execute(sql).fetchall()}
"""
STARTER = {"app.py": APP_PY, "templates/page.html": "<p>{{ name }}</p>\n"}
SOLUTION = {
    "app.py": STARTER["app.py"]
    .replace(
        "f\"SELECT title FROM notes WHERE title LIKE '%{q}%'\"  # VULNERABLE-MARK",
        '"SELECT title FROM notes WHERE title LIKE ?"  # FIXED-MARK',
    )
    .replace("execute(sql)", 'execute(sql, (f"%{q}%",))'),
}
COMPARE = {
    "vulnerable": ["app.py:8-12"],
    "fixed": ["app.py:10-12"],
    "defaults": "Flask has **no** database layer.<script>alert(1)</script>",
}


def make_lab(
    slug: str,
    *,
    framework: str = "flask",
    vulnerability_class: str = "sql-injection",
    difficulty: str = Difficulty.BEGINNER,
    title: str = "",
    summary: str = "",
    cwe: list[str] | None = None,
    owasp: list[str] | None = None,
    compare: Any = COMPARE,
    published: bool = True,
) -> Lab:
    """A lab with one valid version built from a manifest written here (no bundle, no sandbox),
    with ``[compare]`` data the catalogue and compare tests can point at."""
    lab = Lab.objects.create(
        slug=slug,
        title=title or slug.replace("-", " ").capitalize(),
        framework=framework,
        difficulty=difficulty,
        summary=summary or f"Summary of {slug}.",
        cwe=cwe if cwe is not None else ["CWE-89"],
        owasp=owasp if owasp is not None else ["A05:2025", "A03:2021"],
        estimated_minutes=15,
        vulnerability_class=vulnerability_class,
    )
    manifest: dict[str, Any] = {
        "slug": slug,
        "title": lab.title,
        "framework": framework,
        "difficulty": difficulty,
        "vulnerability_class": vulnerability_class,
    }
    if compare is not None:
        manifest["compare"] = compare
    version = LabVersion.objects.create(
        lab=lab,
        number=1,
        content_hash=hashlib.sha256(slug.encode()).hexdigest(),
        archive=b"",
        manifest=manifest,
        starter_files=STARTER,
        solution_files=SOLUTION,
        validation_status=ValidationStatus.VALID,
    )
    if published:
        lab.published_version = version
        lab.save()
    return lab


def make_team(*, name: str = "Blue team", managers: Any = (), members: Any = ()) -> Any:
    """A team with the given managers and members (users), built straight in the database so
    tests of other team features need not go through the team services."""
    from django.utils.text import slugify

    from teams.models import Membership, Role, Team

    base = slugify(name)[:70] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    team = Team.objects.create(name=name, slug=slug)
    for user in managers:
        Membership.objects.create(team=team, user=user, role=Role.MANAGER)
    for user in members:
        Membership.objects.create(team=team, user=user, role=Role.MEMBER)
    return team


def make_graded_fix(
    user: Any,
    lab: Lab,
    *,
    verdict: str = "passed",
    security: tuple[str, ...] = ("passed",),
    functional: tuple[str, ...] = ("passed",),
    files: dict[str, str] | None = None,
    at: Any = None,
) -> Any:
    """A finished fix submission with its check rows, as a worker would leave it (no sandbox).

    ``security``/``functional`` give each check's outcome; a passing verdict solves the session.
    """
    from labs.models import CheckResult, JobStatus, LabSession, Submission

    at = at or timezone.now()
    version = lab.published_version
    session, _ = LabSession.objects.get_or_create(
        user=user, lab=lab, defaults={"version": version, "draft_files": {}}
    )
    submission = Submission.objects.create(
        session=session, version=version, files=files or dict(version.starter_files),
        status=JobStatus.FINISHED, verdict=verdict, created_at=at, started_at=at, finished_at=at,
    )  # fmt: skip
    checks = [("security", o) for o in security] + [("functional", o) for o in functional]
    rows = [
        CheckResult(
            submission=submission,
            position=i,
            test=f"test_{kind}_{i}",
            title=f"{kind.capitalize()} check {i}",
            kind=kind,
            outcome=outcome,
        )
        for i, (kind, outcome) in enumerate(checks)
    ]
    CheckResult.objects.bulk_create(rows)
    if verdict == "passed" and session.solved_at is None:
        session.solved_at, session.score = at, 100
        session.save(update_fields=["solved_at", "score", "updated_at"])
    return submission


def make_quiz_attempt(user: Any, quiz: Quiz, *, score: float, at: Any = None) -> Any:
    """A finished quiz attempt with this score (passed when it reaches the pass mark)."""
    from courses.models import QuizAttempt

    at = at or timezone.now()
    return QuizAttempt.objects.create(
        user=user, quiz=quiz, started_at=at, finished_at=at, score=score,
        passed=score >= quiz.pass_mark,
    )  # fmt: skip


def store_path_labs() -> list[str]:
    """Publish every lab a real learning path names, so that content/paths loads."""
    import tomllib

    paths = (ROOT / "content" / "paths").glob("*.toml")
    steps = [step for p in paths for step in tomllib.loads(p.read_text())["steps"]]
    slugs = sorted({step["lab"] for step in steps if "lab" in step})
    for slug in slugs:
        store_published(slug)
    return slugs
