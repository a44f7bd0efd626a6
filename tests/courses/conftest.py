"""Course fixtures: a small path of two articles and a lab, built through the real models."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courses.models import Article, LearningPath, PathStep, Quiz, Status, StepKind


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


@pytest.fixture
def path_with_steps(db, flask_lab) -> LearningPath:
    first = make_article("first-article", frameworks=["flask"], cwe=["CWE-489"])
    second = make_article("second-article", frameworks=["django"], cwe=["CWE-89"])
    path = LearningPath.objects.create(
        slug="starter-path", title="Starter path", summary="Two articles and a lab.",
        status=Status.PUBLISHED,
    )  # fmt: skip
    PathStep.objects.create(path=path, position=1, kind=StepKind.ARTICLE, article=first)
    PathStep.objects.create(path=path, position=2, kind=StepKind.LAB, lab=flask_lab)
    PathStep.objects.create(path=path, position=3, kind=StepKind.ARTICLE, article=second)
    return path


SPOT_CODE = """q = request.args["q"]
sql = f"SELECT * FROM t WHERE a = '{q}'"
cursor.execute(sql)
"""


def make_quiz(slug: str = "tiny-quiz", **extra) -> Quiz:
    """A published quiz with one question of each kind."""
    from courses.models import Choice, Question

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
