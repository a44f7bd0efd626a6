"""Articles, learning paths and each learner's progress through them.

An article's Markdown is rendered once, on save, into stored HTML (and a table of contents), so
pages never render Markdown per request. A learning path is an ordered list of steps, each an
article, a lab or a quiz; progress on a step is derived from the learner's own records (article
read, lab solved, quiz passed), so there is one source of truth per kind of step.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Topic(models.TextChoices):
    FLASK = "flask", "Flask"
    FASTAPI = "fastapi", "FastAPI"
    DJANGO = "django", "Django"
    GENERAL = "general", "General"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


WORDS_PER_MINUTE = 220


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user: Any) -> ArticleQuerySet:
        """Authors see drafts too; everyone else only what is published."""
        if getattr(user, "is_authenticated", False) and user.is_author:
            return self.all()
        return self.published()


class Article(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    body = models.TextField(
        help_text="Markdown. Internal links: (article:slug), (lab:slug), (quiz:slug)."
    )
    body_html = models.TextField(blank=True, editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    frameworks = models.JSONField(default=list, blank=True, help_text='e.g. ["flask", "django"]')
    cwe = models.JSONField(default=list, blank=True, help_text='e.g. ["CWE-89"]')
    owasp = models.JSONField(default=list, blank=True, help_text='e.g. ["A03:2021"]')
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    reading_minutes = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Fingerprint of the content as last loaded from or exported to content/; when the row no
    #: longer matches it, someone edited it in the admin since, and a load must not overwrite it.
    synced_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.render()
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:article-detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and bool(self.published_at)
            and self.published_at <= timezone.now()
        )

    def render(self) -> None:
        """Fill the stored HTML, table of contents and reading time from the Markdown body."""
        from courses.rendering import render_article

        rendered = render_article(self.body)
        self.body_html = rendered.html
        self.toc_html = rendered.toc_html
        words = len(re.findall(r"\w+", self.body))
        self.reading_minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))

    def content_fields(self) -> dict[str, Any]:
        """The fields that content files carry, in one canonical form."""
        return {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "frameworks": list(self.frameworks),
            "cwe": list(self.cwe),
            "owasp": list(self.owasp),
            "status": self.status,
            "published": self.published_at.date().isoformat() if self.published_at else "",
            "body": self.body.strip() + "\n",
        }

    def content_hash(self) -> str:
        return fingerprint(self.content_fields())


def fingerprint(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


class LearningPathQuerySet(models.QuerySet["LearningPath"]):
    def published(self) -> LearningPathQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> LearningPathQuerySet:
        if getattr(user, "is_authenticated", False) and user.is_author:
            return self.all()
        return self.published()


class LearningPath(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0, help_text="Order on the Learn page.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    synced_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = LearningPathQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:path-detail", args=[self.slug])

    def content_fields(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "position": self.position,
            "status": self.status,
            "steps": [step.content_ref() for step in self.steps.all()],
        }

    def content_hash(self) -> str:
        return fingerprint(self.content_fields())


class StepKind(models.TextChoices):
    ARTICLE = "article", "Article"
    LAB = "lab", "Lab"
    QUIZ = "quiz", "Quiz"


class PathStep(models.Model):
    """One step of a path: exactly one of article, lab or quiz."""

    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    lab = models.ForeignKey(
        "labs.Lab", null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    #: Quizzes arrive as their own model; until then a step names the quiz by slug.
    quiz_slug = models.SlugField(max_length=100, blank=True)

    class Meta:
        ordering = ["path", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="pathstep_one_target",
                condition=(
                    models.Q(kind="article", article__isnull=False, lab__isnull=True, quiz_slug="")
                    | models.Q(kind="lab", lab__isnull=False, article__isnull=True, quiz_slug="")
                    | models.Q(kind="quiz", article__isnull=True, lab__isnull=True)
                    & ~models.Q(quiz_slug="")
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.path.slug} #{self.position}: {self.title}"

    @property
    def title(self) -> str:
        if self.kind == StepKind.ARTICLE and self.article_id:
            return self.article.title
        if self.kind == StepKind.LAB and self.lab_id:
            return self.lab.title
        return self.quiz_slug.replace("-", " ").capitalize()

    def content_ref(self) -> dict[str, str]:
        if self.kind == StepKind.ARTICLE:
            return {"article": self.article.slug}
        if self.kind == StepKind.LAB:
            return {"lab": self.lab.slug}
        return {"quiz": self.quiz_slug}


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
