"""Team pages for members: my teams, a team's page with my assignments, leaving, and the page an
invitation link opens.

Anyone not in a team gets 404 on its pages, so an outsider cannot tell the team exists.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from teams.models import InvitationState, Role, Team
from teams.selectors.access import (
    can_manage,
    invitation_by_token,
    membership_of,
    my_teams,
    owns_verified_address,
    team_assignments,
    team_for_member,
    team_managers,
)
from teams.selectors.progress import ItemState, assignment_progress
from teams.services import invitations as invitation_services
from teams.services.invitations import InvitationError, invitation_check
from teams.services.teams import TeamError
from teams.services.teams import team_leave as leave_team
from teams.signals import SESSION_KEY


def _member_team(request: HttpRequest, slug: str) -> Team:
    try:
        return team_for_member(slug=slug, user=request.user)
    except Team.DoesNotExist:
        raise Http404("No such team.") from None


@login_required
@require_http_methods(["GET"])
def team_list(request: HttpRequest) -> HttpResponse:
    """The teams I am in, with my role and how much work is still open for me."""
    return render(request, "teams/team_list.html", {"rows": my_teams(user=request.user)})


@login_required
@require_http_methods(["GET"])
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A team's page: what is assigned to me, with my status on each; managers' links."""
    team = _member_team(request, slug)
    user = request.user
    membership = membership_of(team=team, user=user)
    is_manager = can_manage(team=team, user=user)
    context = {
        "team": team,
        "membership": membership,
        "is_manager": is_manager,
        "managers": team_managers(team=team),
        "states": ItemState,
    }
    if membership is not None and membership.role == Role.MEMBER:
        grid = assignment_progress(team=team, users=[user])
        rows = [(a, grid.status(a, user)) for a in grid.assignments_of(user)]
        context["rows"] = rows
        context["done"] = sum(s.state == ItemState.COMPLETED for _, s in rows)
        context["overdue"] = sum(s.overdue for _, s in rows)
    else:
        # Managers set the work rather than do it: they see the team's assignments.
        context["team_assignments"] = team_assignments(team=team)
    return render(request, "teams/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    """Leave a team, after a confirmation page."""
    team = _member_team(request, slug)
    if membership_of(team=team, user=request.user) is None:
        raise Http404("You are not in this team.")
    if request.method == "POST":
        try:
            leave_team(team=team, user=request.user)
        except TeamError as exc:
            messages.error(request, str(exc))
            return redirect(team)
        messages.success(request, f"You left {team.name}.")
        return redirect("teams:team-list")
    return render(request, "teams/team_leave.html", {"team": team})


_DEAD_LINK_HEADINGS = {
    InvitationError.UNKNOWN: "Invitation not found",
    InvitationError.USED: "Invitation already used",
    InvitationError.REVOKED: "Invitation withdrawn",
    InvitationError.EXPIRED: "Invitation expired",
}


def _auth_links(request: HttpRequest, email: str) -> dict[str, str]:
    back = request.path
    return {
        "signup_url": f"{reverse('account_signup')}?{urlencode({'next': back, 'email': email})}",
        "login_url": f"{reverse('account_login')}?{urlencode({'next': back})}",
        "logout_url": reverse("account_logout"),
    }


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """What an invitation link opens.

    Unknown tokens answer 404; used, revoked or expired ones 410 with the reason. A visitor who is
    not signed in is offered sign-up (address pre-filled) or sign-in, and the token waits in the
    session until then (see ``teams.signals``). A signed-in person joins with one click.
    """
    invitation = invitation_by_token(token=token)
    user = request.user
    if (
        invitation is not None
        and invitation.state == InvitationState.ACCEPTED
        and user.is_authenticated
        and invitation.accepted_by_id == user.pk
    ):
        # Back here after signing up or in: the invitation was accepted on the way.
        request.session.pop(SESSION_KEY, None)
        return redirect(invitation.team)
    try:
        invitation_check(invitation=invitation)
    except InvitationError as exc:
        if request.session.get(SESSION_KEY) == token:
            del request.session[SESSION_KEY]
        status = 404 if exc.code == InvitationError.UNKNOWN else 410
        context = {"error": exc, "heading": _DEAD_LINK_HEADINGS.get(exc.code, "Invitation")}
        return render(request, "teams/invitation_invalid.html", context, status=status)
    if invitation is None:  # pragma: no cover - invitation_check refused it above
        raise Http404
    context = {
        "invitation": invitation,
        "team": invitation.team,
        **_auth_links(request, invitation.email),
    }
    if not user.is_authenticated:
        request.session[SESSION_KEY] = token
        return render(request, "teams/invitation_accept.html", context)
    context["address_ok"] = owns_verified_address(user=user, email=invitation.email)
    context["already_member"] = membership_of(team=invitation.team, user=user) is not None
    if request.method == "POST":
        try:
            membership = invitation_services.invitation_accept(token=token, user=user)
        except InvitationError as exc:
            context["error"] = exc
            status = 400 if exc.code == InvitationError.WRONG_EMAIL else 410
            return render(request, "teams/invitation_accept.html", context, status=status)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, f"Welcome to {membership.team.name}! You joined the team.")
        return redirect(membership.team)
    return render(request, "teams/invitation_accept.html", context)
