"""Learners' reading progress, for support questions.

Authors may only view these rows (see ``portal.services.LEARNER_RECORDS``); superusers may also
correct them, picking the learner by id rather than from a list of every account.
"""

from __future__ import annotations

from django.contrib import admin

from courses.models import ArticleProgress


@admin.register(ArticleProgress)
class ArticleProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "article", "started_at", "completed_at")
    list_filter = ("article",)
    search_fields = ("user__email", "article__slug")
    list_select_related = ("user", "article")
    raw_id_fields = ("user",)
    autocomplete_fields = ("article",)
