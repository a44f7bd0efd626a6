"""Authoring learning paths: ordered steps edited inline."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from courses.models import LearningPath, PathStep, Status


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
