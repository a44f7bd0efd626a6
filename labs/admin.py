"""Admin for labs: upload and validate bundles, publish valid versions, follow submissions.

Validation runs in the worker: the admin action only queues it, and a version's page follows its
status and report live through a small staff-only partial.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from labs.forms import BundleUploadForm
from labs.models import CheckResult, ExploitAttempt, Lab, LabSession, LabVersion, Submission
from labs.selectors import lab_version_validation
from labs.services import (
    BundleError,
    LabError,
    lab_unpublish,
    lab_version_publish,
    lab_version_store,
    lab_version_validation_queue,
    read_zip,
    submission_regrade,
)
from portal.lib.tag_fields import CweField, OwaspField, TagFieldsMixin


class LabForm(TagFieldsMixin, forms.ModelForm):
    """CWE and OWASP ids as pickers; the next bundle upload sets them again from its manifest."""

    cwe = CweField()
    owasp = OwaspField()

    class Meta:
        model = Lab
        fields = (
            "slug", "title", "framework", "difficulty", "vulnerability_class", "summary", "cwe",
            "owasp", "estimated_minutes",
        )  # fmt: skip


@admin.register(Lab)
class LabAdmin(admin.ModelAdmin):
    form = LabForm
    list_display = ("title", "slug", "framework", "difficulty", "published_version", "n_sessions")
    list_filter = ("framework", "difficulty")
    search_fields = ("title", "slug", "summary")
    readonly_fields = ("published_version", "created_at", "updated_at")
    prepopulated_fields = {"slug": ("title",)}
    actions = ["unpublish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lab]:
        return super().get_queryset(request).annotate(sessions_count=Count("sessions"))

    @admin.display(description="Learners", ordering="sessions_count")
    def n_sessions(self, obj: Lab) -> int:
        return obj.sessions_count

    @admin.action(description="Unpublish selected labs")
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Lab]) -> None:
        for lab in queryset:
            lab_unpublish(lab=lab)
        self.message_user(request, f"{queryset.count()} lab(s) unpublished.")


@admin.register(LabVersion)
class LabVersionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "validation_status", "is_published", "validated_at", "created_at")
    list_filter = ("validation_status", "lab")
    search_fields = ("lab__slug", "content_hash")
    actions = ["validate", "publish"]
    change_list_template = "admin/labs/labversion/change_list.html"
    # A stored version is immutable, and its validation status changes only by validating: every
    # field is read-only, and the status and report show in the live validation partial.
    fields = ("lab", "number", "content_hash", "source", "created_at")
    readonly_fields = fields
    change_form_template = "admin/labs/labversion/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from bundles: upload one or run load_content

    @admin.display(boolean=True, description="Published")
    def is_published(self, obj: LabVersion) -> bool:
        return obj.lab.published_version_id == obj.pk

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        version = self.get_object(request, object_id)
        if version is not None:
            extra_context = {**(extra_context or {}), **self._validation_context(version)}
        return super().change_view(request, object_id, form_url, extra_context)

    def validation_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The version's validation status and report: the live part of its change page."""
        version = self.get_object(request, object_id)
        if version is None:
            raise Http404("No such lab version.")
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return TemplateResponse(
            request, "admin/labs/labversion/_validation.html", self._validation_context(version)
        )

    def _validation_context(self, version: LabVersion) -> dict[str, object]:
        return {"version": version, "validation": lab_version_validation(version=version)}

    @admin.action(description="Validate selected versions in the sandbox (queued for the worker)")
    def validate(self, request: HttpRequest, queryset: QuerySet[LabVersion]) -> None:
        for version in queryset:
            if lab_version_validation_queue(version=version):
                self.message_user(
                    request,
                    f"{version}: queued for validation; its page shows the result when it is in.",
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, f"{version}: a validation is already on its way.")

    @admin.action(description="Publish selected versions (valid ones only)")
    def publish(self, request: HttpRequest, queryset: QuerySet[LabVersion]) -> None:
        for version in queryset:
            try:
                lab_version_publish(version=version)
                self.message_user(request, f"{version} is now published.", messages.SUCCESS)
            except LabError as exc:
                self.message_user(request, str(exc), messages.ERROR)

    def get_urls(self):
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="labs_labversion_upload",
        )
        validation = path(
            "<path:object_id>/validation/",
            self.admin_site.admin_view(self.validation_view),
            name="labs_labversion_validation",
        )
        return [upload, validation, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = BundleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                bundle = read_zip(form.cleaned_data["archive"])
                version, created = lab_version_store(
                    bundle=bundle, source=f"upload by {request.user}"
                )
            except BundleError as exc:
                form.add_error("archive", str(exc))
            else:
                if created:
                    self.message_user(
                        request,
                        f"Stored {version}. Validate it, then publish it.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request, f"This bundle is identical to {version}; nothing changed."
                    )
                url = reverse("admin:labs_labversion_change", args=[version.pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Upload a lab bundle",
            "opts": self.model._meta,
        }
        return render(request, "admin/labs/labversion/upload.html", context)


class CheckResultInline(admin.TabularInline):
    model = CheckResult
    extra = 0
    can_delete = False
    fields = ("title", "kind", "outcome", "duration_ms", "message")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "learner",
        "lab",
        "kind",
        "status",
        "verdict",
        "duration_ms",
        "created_at",
    )
    list_filter = ("status", "verdict", "kind", "version__lab")
    search_fields = ("session__user__email", "session__lab__slug")
    list_select_related = ("session__user", "session__lab")
    inlines = [CheckResultInline]
    actions = ["regrade"]
    exclude = ("files",)
    readonly_fields = (
        "session", "version", "kind", "status", "verdict", "reason", "bad_fix", "app_stderr",
        "test_output", "grader_log", "attempts", "worker", "created_at", "started_at",
        "deadline_at", "finished_at", "duration_ms", "files_display",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Learner")
    def learner(self, obj: Submission) -> str:
        return obj.session.user.email

    @admin.display(description="Lab")
    def lab(self, obj: Submission) -> str:
        return obj.session.lab.slug

    @admin.display(description="Files")
    def files_display(self, obj: Submission) -> str:
        return format_html_join(
            "", "<h4>{}</h4><pre>{}</pre>", ((p, t) for p, t in sorted(obj.files.items()))
        )

    # Open to authors, who only view submissions: a re-grade adds a new submission with the
    # learner's own files against the published version and leaves the history as it was.
    @admin.action(
        description="Re-grade selected submissions (as new submissions)", permissions=["view"]
    )
    def regrade(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        for submission in queryset.select_related("session__lab"):
            submission_regrade(submission=submission)
        self.message_user(request, f"{queryset.count()} submission(s) queued for re-grading.")


@admin.register(LabSession)
class LabSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "lab", "version", "exploit_done_at", "solved_at", "score")
    list_filter = ("lab",)
    search_fields = ("user__email", "lab__slug")
    list_select_related = ("user", "lab", "version__lab")
    readonly_fields = (
        "user", "lab", "version", "draft_files", "hints_revealed", "exploit_done_at",
        "solved_at", "revealed_at", "score", "created_at", "updated_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a session is the learner's own: only opening the lab starts one


@admin.register(ExploitAttempt)
class ExploitAttemptAdmin(admin.ModelAdmin):
    list_display = ("id", "session", "mode", "status", "flag_found", "created_at")
    list_filter = ("mode", "status", "flag_found")
    search_fields = ("session__user__email",)
    list_select_related = ("session__user", "session__lab")
    readonly_fields = (
        "session", "version", "mode", "script", "request", "status", "flag_found", "result",
        "reason", "attempts", "created_at", "started_at", "deadline_at", "finished_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only the learner's own runs make attempts
