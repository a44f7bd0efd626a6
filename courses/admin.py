"""Authoring articles and paths: search, filters, live preview, publish actions, ordered steps."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from courses.models import Article, ArticleProgress, LearningPath, PathStep, Status
from courses.services import article_publish, article_unpublish


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = (
            "title", "slug", "summary", "body", "frameworks", "cwe", "owasp", "status",
            "published_at", "author",
        )  # fmt: skip
        widgets = {
            "body": forms.Textarea(
                attrs={"rows": 30, "class": "vLargeTextField markdown-source", "data-preview": "1"}
            )
        }


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title", "slug", "status", "published_at", "reading_minutes", "updated_at")
    list_filter = ("status",)
    search_fields = ("title", "slug", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("reading_minutes", "created_at", "updated_at")
    actions = ["publish", "unpublish"]
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        ("Topics", {"fields": ("frameworks", "cwe", "owasp")}),
        ("Publishing", {"fields": ("status", "published_at", "author")}),
        ("About", {"fields": ("reading_minutes", "created_at", "updated_at")}),
    )

    class Media:
        js = ("js/admin-preview.js",)
        css = {"all": ("css/admin-preview.css", "css/pygments.css")}

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected articles")
    def publish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_publish(article=article)
        self.message_user(request, f"{queryset.count()} article(s) published.")

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        for article in queryset:
            article_unpublish(article=article)
        self.message_user(request, f"{queryset.count()} article(s) back to draft.")


class PathStepInline(admin.TabularInline):
    model = PathStep
    extra = 1
    fields = ("position", "kind", "article", "lab", "quiz")
    ordering = ("position",)
    autocomplete_fields = ("article",)


@admin.register(LearningPath)
class LearningPathAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "status", "position", "updated_at")
    list_filter = ("status",)
    list_editable = ("position",)
    search_fields = ("title", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [PathStepInline]
    actions = ["publish", "unpublish"]

    @admin.action(description="Publish selected paths")
    def publish(self, request: HttpRequest, queryset: QuerySet[LearningPath]) -> None:
        queryset.update(status=Status.PUBLISHED)

    @admin.action(description="Unpublish selected paths (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[LearningPath]) -> None:
        queryset.update(status=Status.DRAFT)


@admin.register(ArticleProgress)
class ArticleProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "article", "started_at", "completed_at")
    list_filter = ("article",)
    search_fields = ("user__email", "article__slug")
    list_select_related = ("user", "article")
