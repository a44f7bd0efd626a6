"""Authoring quizzes: per-kind validation, a learner's-eye preview, and statistics per question."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from courses.models import (
    FRAMEWORK_TAGS,
    Choice,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    Status,
)
from courses.selectors import quiz_statistics
from portal.lib.tag_fields import CweField, OwaspField, TagChoiceField, TagFieldsMixin


class ChoiceFormSet(forms.BaseInlineFormSet):
    """Every choice explains itself; single choice has exactly one correct answer."""

    def clean(self) -> None:
        super().clean()
        question = self.instance
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        correct = sum(bool(c.get("correct")) for c in kept)
        if question.kind == QuestionKind.SINGLE and correct != 1:
            raise forms.ValidationError(
                f"A single-choice question needs exactly one correct choice (it has {correct})."
            )
        if question.kind == QuestionKind.MULTIPLE and correct < 1:
            raise forms.ValidationError(
                "A multiple-choice question needs at least one correct choice."
            )
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(kept) < 2:
            raise forms.ValidationError("A choice question needs at least two choices.")


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    fields = ("position", "text", "correct", "explanation")
    ordering = ("position",)


class QuestionForm(TagFieldsMixin, forms.ModelForm):
    owasp = OwaspField()

    class Meta:
        model = Question
        fields = (
            "quiz", "position", "kind", "prompt", "explanation", "article", "owasp", "scoring",
            "answer", "true_explanation", "false_explanation", "language", "code",
            "answer_lines", "line_notes",
        )  # fmt: skip

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == QuestionKind.TRUE_FALSE:
            if data.get("answer") is None:
                self.add_error("answer", "A true/false question needs its answer.")
            for key in ("true_explanation", "false_explanation"):
                if not (data.get(key) or "").strip():
                    self.add_error(key, "Explain this answer too.")
        if kind == QuestionKind.SPOT_LINE:
            lines = (data.get("code") or "").strip("\n").splitlines()
            answer = data.get("answer_lines") or []
            if not lines:
                self.add_error("code", "A spot-the-line question needs code.")
            elif not answer or not all(isinstance(n, int) and 1 <= n <= len(lines) for n in answer):
                self.add_error(
                    "answer_lines", f"List the answer lines, each from 1 to {len(lines)}."
                )
        return data


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ("__str__", "kind", "short_prompt")
    list_filter = ("quiz", "kind")
    search_fields = ("prompt", "quiz__slug")
    inlines = [ChoiceInline]

    @admin.display(description="Prompt")
    def short_prompt(self, obj: Question) -> str:
        return obj.prompt[:90]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("position", "kind", "prompt")
    ordering = ("position",)
    show_change_link = True
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }


class QuizForm(TagFieldsMixin, forms.ModelForm):
    frameworks = TagChoiceField(choices=FRAMEWORK_TAGS)
    cwe = CweField()
    owasp = OwaspField()

    class Meta:
        model = Quiz
        fields = (
            "slug", "title", "description", "frameworks", "cwe", "owasp", "pass_mark",
            "time_limit_minutes", "max_attempts", "shuffle_questions", "shuffle_choices",
            "feedback", "status",
        )  # fmt: skip


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    form = QuizForm
    list_display = ("title", "slug", "status", "pass_mark", "feedback", "n_questions")
    list_filter = ("status", "feedback")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuestionInline]
    readonly_fields = ("preview_link", "statistics")
    actions = ["publish", "unpublish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quiz]:
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="Questions", ordering="question_count")
    def n_questions(self, obj: Quiz) -> int:
        return obj.question_count

    @admin.display(description="Preview")
    def preview_link(self, obj: Quiz) -> str:
        if not obj.pk:
            return "Save the quiz first."
        url = reverse("courses:quiz-preview", args=[obj.slug])
        return format_html('<a href="{}">See it as a learner, with answers and statistics</a>', url)

    @admin.display(description="Statistics per question")
    def statistics(self, obj: Quiz) -> str:
        if not obj.pk:
            return "-"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    s.question.position,
                    s.answered,
                    f"{round(100 * s.correct_share)}%" if s.correct_share is not None else "-",
                    f"{s.common_wrong[:60]} ({s.common_wrong_count})" if s.common_wrong else "-",
                )
                for s in quiz_statistics(quiz=obj)
            ),
        )
        return format_html(
            "<table><tr><th>#</th><th>Answers</th><th>Fully correct</th>"
            "<th>Most chosen wrong answer</th></tr>{}</table>",
            rows,
        )

    @admin.action(description="Publish selected quizzes")
    def publish(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> None:
        queryset.update(status=Status.PUBLISHED)

    @admin.action(description="Unpublish selected quizzes (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Quiz]) -> None:
        queryset.update(status=Status.DRAFT)


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "quiz", "started_at", "finished_at", "score", "passed")
    list_filter = ("quiz", "passed")
    search_fields = ("user__email", "quiz__slug")
    list_select_related = ("user", "quiz")
    readonly_fields = (
        "user", "quiz", "question_order", "choice_order", "started_at", "deadline_at",
        "finished_at", "score", "passed",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an attempt is the learner's own: only taking the quiz makes one
