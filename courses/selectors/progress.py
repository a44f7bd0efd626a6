"""What the learner's own progress page reads, besides paths and quizzes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from courses.models import Article, ArticleProgress
from labs import selectors as lab_selectors


def article_progress(*, user: Any, article: Article) -> ArticleProgress | None:
    """The viewer's record of this article, if any; reading it never creates one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ArticleProgress.objects.filter(user=user, article=article).first()


def articles_read(*, user: Any) -> QuerySet[ArticleProgress]:
    """The learner's completed articles they may still open, most recently read first (an
    article taken back to draft drops out, rather than linking to a page that 404s)."""
    return (
        ArticleProgress.objects.filter(
            user=user,
            completed_at__isnull=False,
            article__in=Article.objects.visible_to(user),
        )
        .select_related("article")
        .order_by("-completed_at")
    )


def labs_started(*, user: Any) -> QuerySet[Any]:
    """The learner's lab sessions with their labs, most recently active first."""
    return lab_selectors.user_lab_sessions(user=user)
