"""Writes of authors on articles: publishing and unpublishing."""

from __future__ import annotations

from django.utils import timezone

from courses.models import Article, Status


def article_publish(*, article: Article) -> Article:
    """Publish now: a future publication date is brought forward so the article shows at once."""
    article.status = Status.PUBLISHED
    if article.published_at is None or article.published_at > timezone.now():
        article.published_at = timezone.now()
    article.save()
    return article


def article_unpublish(*, article: Article) -> Article:
    """Back to draft; the publication date is kept for when it is published again."""
    article.status = Status.DRAFT
    article.save()
    return article
