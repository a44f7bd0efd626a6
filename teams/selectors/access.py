"""Who may see what in teams: membership lookups for the team pages.

Every lookup answers ``Team.DoesNotExist`` for a team the person may not see, so views turn it
into a 404 and an outsider cannot tell a team exists. Superusers manage every team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from teams.models import Assignment, Invitation, Membership, Role, Team, token_digest
from teams.selectors.progress import ItemState, assignment_progress


def membership_of(*, team: Team, user: Any) -> Membership | None:
    """The person's membership of the team, or None (anonymous visitors have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(team=team, user=user).first()


def can_manage(*, team: Team, user: Any) -> bool:
    """Managers of the team and superusers may manage it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(team=team, user=user, role=Role.MANAGER).exists()


def team_for_member(*, slug: str, user: Any) -> Team:
    """The team if the person is in it (or is a superuser); else ``Team.DoesNotExist``."""
    if not getattr(user, "is_authenticated", False):
        raise Team.DoesNotExist
    if user.is_superuser:
        return Team.objects.get(slug=slug)
    return Team.objects.of_user(user).get(slug=slug)


def team_for_manager(*, slug: str, user: Any) -> Team:
    """The team if the person manages it (superusers manage all); else ``Team.DoesNotExist``."""
    return Team.objects.managed_by(user).get(slug=slug)


@dataclass(frozen=True)
class MyTeam:
    team: Team
    role: str
    members: int
    assignments: int  # every assignment of the team
    open_assignments: int  # those that apply to me and that I have not completed

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER


def applies_to(user: Any) -> Q:
    """Assignments that apply to this person: whole-team ones and those naming them."""
    return Q(whole_team=True) | Q(assignees=user)


def my_teams(*, user: Any) -> list[MyTeam]:
    """The teams the person is in, with their role, the member count, the team's assignments
    and how many of those that apply to them (as a member: managers set work, they are not
    assigned it) they have not completed, read through the progress grid."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("team")
        .annotate(
            members=Count("team__memberships", distinct=True),
            assignments=Count("team__assignments", distinct=True),
        )
        .order_by("team__name")
    )
    rows = []
    for membership in memberships:
        open_count = 0
        if membership.role == Role.MEMBER and membership.assignments:
            grid = assignment_progress(team=membership.team, users=[user])
            open_count = sum(
                grid.status(a, user).state != ItemState.COMPLETED for a in grid.assignments_of(user)
            )
        rows.append(
            MyTeam(
                membership.team,
                membership.role,
                membership.members,
                membership.assignments,
                open_count,
            )
        )
    return rows


def team_managers(*, team: Team) -> list[Any]:
    """The team's managers (people), by name."""
    rows = Membership.objects.filter(team=team, role=Role.MANAGER).select_related("user")
    return [m.user for m in rows]


def assignable_members(*, team: Team) -> QuerySet[Membership]:
    """The memberships work can be assigned to: members, not managers (who set the work and
    whom the dashboard, the export and the reminders leave out)."""
    return team_members(team=team).filter(role=Role.MEMBER)


def team_members(*, team: Team) -> QuerySet[Membership]:
    """Every membership of the team with its person, managers first."""
    return (
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("-role", "user__display_name", "user__email")
    )


def member_in_team(*, team: Team, user_id: int) -> Membership:
    """One membership of the team by the member's id; ``Membership.DoesNotExist`` otherwise."""
    return Membership.objects.select_related("user").get(team=team, user_id=user_id)


def assignments_for(*, team: Team, user: Any) -> list[Assignment]:
    """The team's assignments that apply to this person, soonest due first."""
    return list(
        Assignment.objects.filter(team=team)
        .filter(applies_to(user))
        .select_related("path", "quiz", "lab")
        .distinct()
        .order_by("due_at", "id")
    )


def team_assignments(*, team: Team) -> list[Assignment]:
    """Every assignment of the team with its target and named assignees (managers' list)."""
    return list(
        Assignment.objects.filter(team=team)
        .select_related("path", "quiz", "lab")
        .prefetch_related("assignees")
        .order_by("due_at", "id")
    )


def team_assignment(*, team: Team, pk: int) -> Assignment | None:
    """One assignment of this team, or None (another team's id finds nothing)."""
    return (
        Assignment.objects.filter(team=team, pk=pk)
        .select_related("path", "quiz", "lab")
        .prefetch_related("assignees")
        .first()
    )


def team_invitations(*, team: Team) -> QuerySet[Invitation]:
    """The team's invitations, open ones first, then history."""
    return Invitation.objects.filter(team=team).select_related("invited_by", "accepted_by")


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation this raw token opens, or None; only the digest is ever stored."""
    return (
        Invitation.objects.select_related("team", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


def owns_verified_address(*, user: Any, email: str) -> bool:
    """Whether the person has confirmed that they own this address (allauth's record)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
