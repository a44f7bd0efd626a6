"""Course fixtures: a small path of two articles and a lab, built through the real models."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courses.models import Article, LearningPath, PathStep, Status, StepKind


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
