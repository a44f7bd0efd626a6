"""Learners' reading progress, for support questions."""

from __future__ import annotations

from django.contrib import admin

from courses.models import ArticleProgress


@admin.register(ArticleProgress)
class ArticleProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "article", "started_at", "completed_at")
    list_filter = ("article",)
    search_fields = ("user__email", "article__slug")
    list_select_related = ("user", "article")
