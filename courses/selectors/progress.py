"""What the learner's own progress page reads, besides paths and quizzes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from courses.models import ArticleProgress
from labs import selectors as lab_selectors


def articles_read(*, user: Any) -> QuerySet[ArticleProgress]:
    """The learner's completed articles, most recently read first."""
    return (
        ArticleProgress.objects.filter(user=user, completed_at__isnull=False)
        .select_related("article")
        .order_by("-completed_at")
    )


def labs_started(*, user: Any) -> QuerySet[Any]:
    """The learner's lab sessions with their labs, most recently active first."""
    return lab_selectors.user_lab_sessions(user=user)
