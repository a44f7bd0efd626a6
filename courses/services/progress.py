"""Writes of a learner's reading progress: opening an article and marking it as read."""

from __future__ import annotations

from django.utils import timezone

from courses.models import Article, ArticleProgress
from portal.models import User


def article_started(*, user: User, article: Article) -> ArticleProgress:
    """Record that the learner opened the article (once; later visits only touch it)."""
    progress, created = ArticleProgress.objects.get_or_create(user=user, article=article)
    if not created:
        progress.save(update_fields=["updated_at"])
    return progress


def article_mark_read(*, user: User, article: Article) -> ArticleProgress:
    """Complete the article for the learner; marking twice keeps the first date."""
    progress, _ = ArticleProgress.objects.get_or_create(user=user, article=article)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at", "updated_at"])
    return progress
