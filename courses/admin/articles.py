"""Authoring articles: a live Markdown preview, and publishing from the list."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from courses.models import Article
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
