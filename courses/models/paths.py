"""Learning paths: an ordered list of steps, each an article, a lab or a quiz."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from courses.models.articles import Article
from courses.models.base import PublishableQuerySet, Status, fingerprint


class LearningPathQuerySet(PublishableQuerySet["LearningPath"]):
    """Published paths, and drafts for authors."""


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


class PathStepQuerySet(models.QuerySet["PathStep"]):
    def published(self) -> PathStepQuerySet:
        """Steps whose target learners may open: a published article whose date has come, a lab
        with a published version, a published quiz."""
        return self.filter(
            models.Q(
                kind=StepKind.ARTICLE,
                article__status=Status.PUBLISHED,
                article__published_at__lte=timezone.now(),
            )
            | models.Q(kind=StepKind.LAB, lab__published_version__isnull=False)
            | models.Q(kind=StepKind.QUIZ, quiz__status=Status.PUBLISHED)
        )

    def visible_to(self, user: Any) -> PathStepQuerySet:
        """Authors see every step, to check a path in place; everyone else only the steps they
        can open, so a draft's or a scheduled article's title and link never show."""
        if getattr(user, "is_authenticated", False) and user.is_author:
            return self.all()
        return self.published()


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
    quiz = models.ForeignKey(
        "Quiz", null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )

    objects = PathStepQuerySet.as_manager()

    class Meta:
        ordering = ["path", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="pathstep_one_target",
                condition=(
                    models.Q(
                        kind="article", article__isnull=False, lab__isnull=True, quiz__isnull=True
                    )
                    | models.Q(
                        kind="lab", lab__isnull=False, article__isnull=True, quiz__isnull=True
                    )
                    | models.Q(
                        kind="quiz", quiz__isnull=False, article__isnull=True, lab__isnull=True
                    )
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
        if self.kind == StepKind.QUIZ and self.quiz_id:
            return self.quiz.title
        return ""

    @property
    def is_published(self) -> bool:
        """Whether learners may open the step's target (see ``PathStepQuerySet.published``)."""
        if self.kind == StepKind.ARTICLE:
            return self.article.is_published
        if self.kind == StepKind.LAB:
            return self.lab.is_published
        return self.quiz.status == Status.PUBLISHED

    def content_ref(self) -> dict[str, str]:
        if self.kind == StepKind.ARTICLE:
            return {"article": self.article.slug}
        if self.kind == StepKind.LAB:
            return {"lab": self.lab.slug}
        return {"quiz": self.quiz.slug}
