"""Authoring articles: a live preview in the learner's styles, tag pickers, and publishing.

What the Markdown sanitiser removes is reported to the author, in the preview and on save.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from courses.models import FRAMEWORK_TAGS, Article
from courses.rendering import render_article
from courses.services import article_publish, article_unpublish
from portal.lib.tag_fields import CweField, OwaspField, TagChoiceField, TagFieldsMixin


class ArticleForm(TagFieldsMixin, forms.ModelForm):
    frameworks = TagChoiceField(choices=FRAMEWORK_TAGS)
    cwe = CweField()
    owasp = OwaspField()

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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The preview script reads its addresses from the textarea rather than hard-coding them.
        self.fields["body"].widget.attrs.update(
            {
                "data-preview-url": reverse("courses:article-preview"),
                "data-preview-frame": reverse("courses:article-preview-frame"),
            }
        )


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
        css = {"all": ("css/admin-preview.css",)}

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # Only staff write articles: the author list must not enumerate every learner's account.
        if db_field.name == "author":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        removed = render_article(obj.body).removed
        if removed:
            self.message_user(
                request,
                f"“{obj.title}” was saved, but the sanitiser removed: {'; '.join(removed)}.",
                messages.WARNING,
            )

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
