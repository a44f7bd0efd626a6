"""Quizzes: questions of four kinds, each learner's attempts, and answers scored on the server."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from courses.models.base import PublishableQuerySet, Status, fingerprint
from portal.lib.owasp import is_current, owasp_label


def inline_markdown(text: str) -> str:
    """Markdown for a short text (a choice, a note): safe HTML without the wrapping paragraph."""
    from portal.lib.markdown import render_markdown

    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


class FeedbackMode(models.TextChoices):
    IMMEDIATE = "immediate", "After each question"
    END = "end", "At the end"


class QuizQuerySet(PublishableQuerySet["Quiz"]):
    """Published quizzes, and drafts for authors."""


class Quiz(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown, shown on the intro page.")
    description_html = models.TextField(blank=True, editable=False)
    frameworks = models.JSONField(default=list, blank=True)
    cwe = models.JSONField(default=list, blank=True)
    owasp = models.JSONField(default=list, blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=70, help_text="Percent needed to pass.")
    time_limit_minutes = models.PositiveSmallIntegerField(default=0, help_text="0: no limit.")
    max_attempts = models.PositiveSmallIntegerField(default=0, help_text="0: unlimited.")
    shuffle_questions = models.BooleanField(default=True)
    shuffle_choices = models.BooleanField(default=True)
    feedback = models.CharField(
        max_length=16, choices=FeedbackMode.choices, default=FeedbackMode.IMMEDIATE
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    synced_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        from portal.lib.markdown import render_markdown

        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:quiz-detail", args=[self.slug])

    @property
    def owasp_current(self) -> list[str]:
        """The quiz's OWASP Top 10 2025 categories, labelled with their names."""
        return [owasp_label(code) for code in self.owasp if is_current(code)]

    @property
    def owasp_older(self) -> list[str]:
        """Ids from earlier editions, shown as secondary tags."""
        return [code for code in self.owasp if not is_current(code)]

    def content_fields(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "frameworks": list(self.frameworks),
            "cwe": list(self.cwe),
            "owasp": list(self.owasp),
            "pass_mark": self.pass_mark,
            "time_limit_minutes": self.time_limit_minutes,
            "max_attempts": self.max_attempts,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_choices": self.shuffle_choices,
            "feedback": self.feedback,
            "status": self.status,
            "questions": [q.content_fields() for q in self.questions.all()],
        }

    def content_hash(self) -> str:
        return fingerprint(self.content_fields())


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TRUE_FALSE = "true_false", "True or false"
    SPOT_LINE = "spot_line", "Spot the line"


class Scoring(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "All or nothing"
    PARTIAL = "partial", "Partial credit"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField(help_text="Markdown.")
    prompt_html = models.TextField(blank=True, editable=False)
    explanation = models.TextField(help_text="Markdown: why the right answer is right.")
    explanation_html = models.TextField(blank=True, editable=False)
    article = models.CharField(
        max_length=200, blank=True, help_text="Article section: slug#anchor (optional)."
    )
    owasp = models.JSONField(
        default=list, blank=True, help_text='OWASP Top 10 ids, 2025 first: ["A05:2025", "A03:2021"]'
    )
    scoring = models.CharField(
        max_length=16, choices=Scoring.choices, default=Scoring.ALL_OR_NOTHING,
        help_text="Multiple choice only.",
    )  # fmt: skip
    # true/false
    answer = models.BooleanField(null=True, blank=True, help_text="True/false only.")
    true_explanation = models.TextField(blank=True)
    false_explanation = models.TextField(blank=True)
    true_explanation_html = models.TextField(blank=True, editable=False)
    false_explanation_html = models.TextField(blank=True, editable=False)
    # spot the line
    language = models.CharField(max_length=30, blank=True, default="python")
    code = models.TextField(blank=True, help_text="Spot-the-line only: the snippet.")
    answer_lines = models.JSONField(default=list, blank=True, help_text="e.g. [7]")
    line_notes = models.JSONField(default=dict, blank=True, help_text='e.g. {"3": "Why not 3"}')
    line_notes_html = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["quiz", "position", "id"]

    def __str__(self) -> str:
        return f"{self.quiz.slug} Q{self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from courses.rendering import render_article

        self.prompt_html = render_article(self.prompt).html
        self.explanation_html = render_article(self.explanation).html
        self.true_explanation_html = inline_markdown(self.true_explanation)
        self.false_explanation_html = inline_markdown(self.false_explanation)
        self.line_notes_html = {k: inline_markdown(v) for k, v in self.line_notes.items()}
        super().save(*args, **kwargs)

    @property
    def article_url(self) -> str:
        if not self.article:
            return ""
        slug, _, anchor = self.article.partition("#")
        url = reverse("courses:article-detail", args=[slug])
        return f"{url}#{anchor}" if anchor else url

    @property
    def owasp_current(self) -> list[str]:
        """The question's OWASP Top 10 2025 categories, labelled with their names."""
        return [owasp_label(code) for code in self.owasp if is_current(code)]

    @property
    def owasp_older(self) -> list[str]:
        """Ids from earlier editions, shown as secondary tags."""
        return [code for code in self.owasp if not is_current(code)]

    @property
    def code_lines(self) -> list[str]:
        return self.code.strip("\n").splitlines()

    def content_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "kind": self.kind,
            "prompt": self.prompt.strip(),
            "explanation": self.explanation.strip(),
            "article": self.article,
            "owasp": list(self.owasp),
        }
        if self.kind == QuestionKind.MULTIPLE:
            fields["scoring"] = self.scoring
        if self.kind == QuestionKind.TRUE_FALSE:
            fields.update(
                answer=self.answer,
                true_explanation=self.true_explanation.strip(),
                false_explanation=self.false_explanation.strip(),
            )
        if self.kind == QuestionKind.SPOT_LINE:
            fields.update(
                language=self.language,
                code=self.code.strip("\n") + "\n",
                answer_lines=list(self.answer_lines),
                line_notes={
                    str(k): v for k, v in sorted(self.line_notes.items(), key=lambda i: int(i[0]))
                },
            )
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            fields["choices"] = [
                {"text": c.text, "correct": c.correct, "explanation": c.explanation.strip()}
                for c in self.choices.all()
            ]
        return fields


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="Markdown, one line.")
    text_html = models.TextField(blank=True, editable=False)
    correct = models.BooleanField(default=False)
    explanation = models.TextField(help_text="Why this choice is right or wrong.")
    explanation_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_html = inline_markdown(self.text)
        self.explanation_html = inline_markdown(self.explanation)
        super().save(*args, **kwargs)


class QuizAttempt(models.Model):
    """One sitting of a quiz. Its question and choice order is fixed when it starts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    question_order = models.JSONField(default=list)
    choice_order = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Percent, computed on the server.")
    passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} on {self.quiz.slug} ({self.started_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("courses:attempt-detail", args=[self.quiz.slug, self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def is_expired(self, now: Any = None) -> bool:
        return self.deadline_at is not None and (now or timezone.now()) >= self.deadline_at


class Answer(models.Model):
    """A learner's answer to one question of one attempt; scored on the server, once."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    value = models.BooleanField(null=True, blank=True, help_text="True/false answer.")
    line = models.PositiveIntegerField(null=True, blank=True, help_text="Spot-the-line answer.")
    points = models.FloatField(default=0.0, help_text="0 to 1.")
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_once_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {self.points:.2f}"

    @property
    def is_correct(self) -> bool:
        return self.points >= 0.999
