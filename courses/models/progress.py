"""A learner's own records of reading articles (labs and quizzes keep theirs in their own rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from courses.models.articles import Article


class ArticleProgress(models.Model):
    """A learner opened an article (started) and marked it as read (completed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_progress"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="articleprogress_one_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.article.slug}"
