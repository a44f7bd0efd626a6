"""Managers' pages: create a team, its settings, members and roles, invitations, assignments.

Every page here answers 404 to anyone who does not manage the team (superusers manage all), and
every change is a POST with CSRF; removals and deletions ask for confirmation first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from teams.forms import AssignmentForm, InviteForm, RoleForm, TeamForm
from teams.models import Assignment, Invitation, InvitationState, Membership, Role, Team
from teams.selectors.access import (
    assignable_members,
    member_in_team,
    team_assignment,
    team_assignments,
    team_for_manager,
    team_invitations,
    team_members,
)
from teams.selectors.choices import assignable_items
from teams.services.assignments import (
    AssignmentError,
    assignment_create,
    assignment_update,
)
from teams.services.assignments import assignment_delete as delete_assignment
from teams.services.invitations import (
    InvitationError,
)
from teams.services.invitations import invitation_create as create_invitation
from teams.services.invitations import invitation_resend as resend_invitation
from teams.services.invitations import invitation_revoke as revoke_invitation
from teams.services.teams import (
    TeamError,
    membership_remove,
    membership_set_role,
    team_update,
)
from teams.services.teams import team_create as create_team


def _managed_team(request: HttpRequest, slug: str) -> Team:
    try:
        return team_for_manager(slug=slug, user=request.user)
    except Team.DoesNotExist:
        raise Http404("No such team.") from None


def _membership(team: Team, user_id: int) -> Membership:
    try:
        return member_in_team(team=team, user_id=user_id)
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None


def _invitation(team: Team, pk: int) -> Invitation:
    invitation = team_invitations(team=team).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def _assignment(team: Team, pk: int) -> Assignment:
    assignment = team_assignment(team=team, pk=pk)
    if assignment is None:
        raise Http404("No such assignment.")
    return assignment


def _base_url(request: HttpRequest) -> str:
    """The address the manager is using, so the e-mailed link opens the same site."""
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    """Anyone signed in may create a team and becomes its first manager."""
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = create_team(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                created_by=request.user,
            )
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{team.name} is ready. Invite people from its Members page.")
            return redirect(team)
    status = 400 if form.errors else 200
    return render(request, "teams/team_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Rename the team and edit its description."""
    team = _managed_team(request, slug)
    initial = {"name": team.name, "description": team.description}
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            team_update(
                team=team,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Team settings saved.")
            return redirect("teams:team-settings", slug=team.slug)
    return render(
        request,
        "teams/team_settings.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )


def _members_page(
    request: HttpRequest, team: Team, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    invitations = list(team_invitations(team=team))
    context = {
        "team": team,
        "memberships": list(team_members(team=team)),
        "open_invitations": [i for i in invitations if i.state in _OPEN_STATES],
        "past_invitations": [i for i in invitations if i.state not in _OPEN_STATES],
        "invite_form": invite_form or InviteForm(),
        "roles": Role.choices,
    }
    return render(request, "teams/member_list.html", context, status=status)


#: Invitations a manager may still act on (resend or revoke).
_OPEN_STATES = {InvitationState.PENDING, InvitationState.EXPIRED}


@login_required
@require_http_methods(["GET"])
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Members with their roles, invitations with their state, and the invite form."""
    return _members_page(request, _managed_team(request, slug))


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = _managed_team(request, slug)
    membership = _membership(team, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose member or manager.")
        return redirect("teams:member-list", slug=team.slug)
    try:
        membership = membership_set_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{membership.user.name} is now a {membership.get_role_display().lower()}."
        )
    return redirect("teams:member-list", slug=team.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Remove a member, after a confirmation page."""
    team = _managed_team(request, slug)
    membership = _membership(team, user_id)
    if request.method == "POST":
        try:
            membership_remove(membership=membership, by=request.user)
        except TeamError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{membership.user.name} was removed from {team.name}.")
            if membership.user_id == request.user.pk and not request.user.is_superuser:
                return redirect("teams:team-list")
        return redirect("teams:member-list", slug=team.slug)
    return render(request, "teams/member_remove.html", {"team": team, "membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The invite form posts here; GET shows the members page it lives on."""
    team = _managed_team(request, slug)
    if request.method == "GET":
        return redirect("teams:member-list", slug=team.slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _ = create_invitation(
                team=team,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except InvitationError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. The link works until "
                f"{invitation.expires_at:%d %B %Y}.",
            )
            return redirect("teams:member-list", slug=team.slug)
    return _members_page(request, team, form, status=400)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = _managed_team(request, slug)
    invitation = _invitation(team, pk)
    try:
        invitation, _ = resend_invitation(
            invitation=invitation, by=request.user, base_url=_base_url(request)
        )
    except InvitationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Invitation sent again to {invitation.email}; the old link no longer works."
        )
    return redirect("teams:member-list", slug=team.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw an invitation, after a confirmation page."""
    team = _managed_team(request, slug)
    invitation = _invitation(team, pk)
    if request.method == "POST":
        try:
            revoke_invitation(invitation=invitation, by=request.user)
        except InvitationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
        return redirect("teams:member-list", slug=team.slug)
    return render(request, "teams/invitation_revoke.html", {"team": team, "invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The team's assignments and the form that adds one."""
    team = _managed_team(request, slug)
    memberships = list(assignable_members(team=team))
    items = assignable_items()
    form = AssignmentForm(request.POST or None, memberships=memberships, items=items)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            assignment = assignment_create(
                team=team,
                kind=target.kind,
                target=target.target,
                due_at=form.cleaned_data["due_at"],
                assignees=form.cleaned_data["assignees"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
        except AssignmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Assigned {assignment.target_title}.")
            return redirect("teams:assignment-list", slug=team.slug)
    context = {
        "team": team,
        "form": form,
        "assignments": team_assignments(team=team),
        "nothing_to_assign": not any(items.values()),
    }
    return render(
        request, "teams/assignment_list.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change an assignment's due date, assignees or note."""
    team = _managed_team(request, slug)
    assignment = _assignment(team, pk)
    initial = {
        "due_at": assignment.due_at,
        "assignees": [] if assignment.whole_team else [u.pk for u in assignment.assignees.all()],
        "note": assignment.note,
    }
    form = AssignmentForm(
        request.POST or None,
        initial=initial,
        memberships=list(assignable_members(team=team)),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment_update(
                assignment=assignment,
                due_at=form.cleaned_data["due_at"],
                assignees=form.cleaned_data["assignees"],
                note=form.cleaned_data["note"],
            )
        except AssignmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved the assignment of {assignment.target_title}.")
            return redirect("teams:assignment-list", slug=team.slug)
    return render(
        request,
        "teams/assignment_edit.html",
        {"team": team, "assignment": assignment, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Withdraw an assignment, after a confirmation page."""
    team = _managed_team(request, slug)
    assignment = _assignment(team, pk)
    if request.method == "POST":
        title = assignment.target_title
        delete_assignment(assignment=assignment)
        messages.success(request, f"The assignment of {title} was withdrawn.")
        return redirect("teams:assignment-list", slug=team.slug)
    return render(request, "teams/assignment_delete.html", {"team": team, "assignment": assignment})
