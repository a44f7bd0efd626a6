"""Articles: Markdown rendered once, on save, into stored HTML and a table of contents."""

from __future__ import annotations

import math
import re
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from courses.models.base import PublishableQuerySet, Status, fingerprint
from portal.lib.frameworks import Framework
from portal.lib.owasp import is_current, owasp_label

WORDS_PER_MINUTE = 220

#: Articles may also be tagged "general": about web security whatever the framework. It is a tag,
#: not a framework, so it lives here rather than in the project's framework list.
GENERAL_TAG = ("general", "General")
FRAMEWORK_TAGS: list[tuple[str, str]] = [*Framework.choices, GENERAL_TAG]


class ArticleQuerySet(PublishableQuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """Published, and with a publication date that has come (articles can be scheduled)."""
        return super().published().filter(published_at__lte=timezone.now())


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

    @property
    def framework_badges(self) -> list[tuple[str, str]]:
        """(value, display name) per framework covered, e.g. ("fastapi", "FastAPI")."""
        labels = dict(FRAMEWORK_TAGS)
        return [(value, labels.get(value, value)) for value in self.frameworks]

    @property
    def owasp_current(self) -> list[str]:
        """The article's OWASP Top 10 2025 categories, labelled with their names."""
        return [owasp_label(code) for code in self.owasp if is_current(code)]

    @property
    def owasp_older(self) -> list[str]:
        """Ids from earlier editions, shown as secondary tags."""
        return [code for code in self.owasp if not is_current(code)]

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
