"""Admin for teams: the same operations as the team pages, through the same services.

Invitations are made, resent and revoked by the invitation services (the raw token is never
shown or stored); team memberships keep at least one manager; assignments accept only published
targets and the team's own members.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from teams.models import (
    Assignment,
    AssignmentKind,
    Invitation,
    Membership,
    ReminderSent,
    Role,
    Team,
)
from teams.selectors.choices import is_assignable
from teams.services.invitations import (
    InvitationError,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class MembershipFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        """A team keeps at least one manager, as on the team pages."""
        super().clean()
        managers = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            managers += data.get("role") == Role.MANAGER
        if self.instance.pk and managers == 0:
            raise forms.ValidationError("A team needs at least one manager.")


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "joined_at")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "n_members", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "created_by")
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return super().get_queryset(request).annotate(members_count=Count("memberships"))

    @admin.display(description="Members", ordering="members_count")
    def n_members(self, obj: Team) -> int:
        return obj.members_count

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("team", "email", "role")

    def validate_unique(self) -> None:
        """An open invitation for the same address is renewed by the service, not refused."""


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "team", "role", "state_display", "expires_at", "send_count")
    list_filter = ("team", "role")
    search_fields = ("email", "team__name")
    list_select_related = ("team",)
    actions = ["resend", "revoke"]
    readonly_fields = (
        "team",
        "email",
        "role",
        "state_display",
        "invited_by",
        "created_at",
        "sent_at",
        "send_count",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )

    @admin.display(description="State")
    def state_display(self, obj: Invitation) -> str:
        return obj.state.label

    def get_form(self, request: HttpRequest, obj: Invitation | None = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> Any:
        return self.readonly_fields if obj else ()

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> Any:
        return self.readonly_fields if obj else ("team", "email", "role")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        """New invitations go through the service: it e-mails the link and keeps only a digest."""
        try:
            invitation, _ = invitation_create(
                team=form.cleaned_data["team"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except InvitationError as exc:
            messages.error(request, exc.message)
            obj.pk = None
            return
        obj.pk = invitation.pk
        obj.__dict__.update({k: v for k, v in invitation.__dict__.items() if k != "_state"})

    def response_add(self, request: HttpRequest, obj: Invitation, post_url_continue: Any = None):
        if obj.pk is None:
            from django.http import HttpResponseRedirect
            from django.urls import reverse

            return HttpResponseRedirect(reverse("admin:teams_invitation_add"))
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Resend the selected invitations (new link, new expiry)")
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset:
            try:
                invitation_resend(
                    invitation=invitation, by=request.user, base_url=_base_url(request)
                )
                done += 1
            except InvitationError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} invitation(s) sent again.")

    @admin.action(description="Revoke the selected invitations")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        done = 0
        for invitation in queryset:
            try:
                invitation_revoke(invitation=invitation, by=request.user)
                done += 1
            except InvitationError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} invitation(s) revoked.")


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = (
            "team",
            "kind",
            "path",
            "quiz",
            "lab",
            "whole_team",
            "assignees",
            "due_at",
            "note",
        )

    def clean(self) -> dict[str, Any]:
        """The same rules as the assignment service: one published target of the chosen kind,
        and named assignees from the team only."""
        data = super().clean()
        kind = data.get("kind")
        if kind in AssignmentKind.values:
            for other in AssignmentKind.values:
                if other != kind and data.get(other) is not None:
                    self.add_error(other, f"Leave this empty for a {AssignmentKind(kind).label}.")
            target = data.get(kind)
            if target is None:
                self.add_error(kind, "Choose what to assign.")
            elif not is_assignable(kind=kind, target=target):
                self.add_error(kind, "Only published items can be assigned.")
        team = data.get("team")
        assignees = list(data.get("assignees") or [])
        if team is not None and assignees:
            members = set(Membership.objects.filter(team=team).values_list("user_id", flat=True))
            strangers = [u for u in assignees if u.pk not in members]
            if strangers:
                names = ", ".join(u.email for u in strangers)
                self.add_error("assignees", f"Not in the team: {names}.")
        if data.get("whole_team") and assignees:
            self.add_error("assignees", "Leave this empty for a whole-team assignment.")
        if not data.get("whole_team") and not assignees:
            self.add_error("assignees", "Name at least one member, or tick “whole team”.")
        return data


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentAdminForm
    list_display = ("__str__", "team", "kind", "whole_team", "due_at")
    list_filter = ("team", "kind")
    list_select_related = ("team", "path", "quiz", "lab")
    search_fields = ("team__name", "note")
    raw_id_fields = ("assignees",)
    date_hierarchy = "due_at"

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("user", "assignment", "kind", "sent_at")
    list_filter = ("kind", "assignment__team")
    list_select_related = ("user", "assignment", "assignment__team")
    search_fields = ("user__email",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
