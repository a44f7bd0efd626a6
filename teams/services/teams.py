"""Writes on teams and memberships: creating and renaming teams, adding people, roles, leaving.

Every team keeps at least one manager: the last one can be neither demoted nor removed, and
cannot leave, so a team is never left without someone who can manage it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from teams.models import Assignment, Membership, Role, Team

#: Slugs that name team URLs of their own (``/teams/new/``, ``/teams/join/...``).
RESERVED_SLUGS = frozenset({"new", "join"})
SLUG_MAX = Team._meta.get_field("slug").max_length


class TeamError(Exception):
    """A team operation refused, with a message meant for the person who asked."""


def _free_slug(wanted: str) -> str:
    """The wanted slug, or the first free ``wanted-2``, ``wanted-3``..., never a reserved one."""
    base = (slugify(wanted) or "team")[: SLUG_MAX - 6].strip("-") or "team"
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or Team.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def team_create(*, name: str, created_by: Any, slug: str = "", description: str = "") -> Team:
    """A new team whose creator is its first manager; the slug comes from the name unless given,
    and is made unique."""
    name = name.strip()
    if not name:
        raise TeamError("A team needs a name.")
    if slug and (slugify(slug) != slug or slug in RESERVED_SLUGS):
        raise TeamError(f"“{slug}” cannot be used as a team's address.")
    if slug and Team.objects.filter(slug=slug).exists():
        raise TeamError(f"A team with the address “{slug}” already exists.")
    team = Team.objects.create(
        name=name,
        slug=slug or _free_slug(name),
        description=description.strip(),
        created_by=created_by,
    )
    Membership.objects.create(team=team, user=created_by, role=Role.MANAGER)
    return team


def team_update(*, team: Team, name: str, description: str) -> Team:
    """Rename the team or change its description; the address (slug) stays, so links work."""
    name = name.strip()
    if not name:
        raise TeamError("A team needs a name.")
    team.name = name
    team.description = description.strip()
    team.save(update_fields=["name", "description"])
    return team


def membership_add(*, team: Team, user: Any, role: str = Role.MEMBER) -> Membership:
    """Put the person in the team; idempotent. An existing membership is kept, and upgraded to
    manager when that is asked, never downgraded here."""
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                team=team, user=user, defaults={"role": role}
            )
    except IntegrityError:  # a concurrent add won the race
        membership, created = Membership.objects.get(team=team, user=user), False
    if not created and role == Role.MANAGER and membership.role != Role.MANAGER:
        membership.role = Role.MANAGER
        membership.save(update_fields=["role"])
    return membership


def _is_last_manager(membership: Membership) -> bool:
    """Whether this is the team's only manager (read under a row lock of its managers)."""
    if membership.role != Role.MANAGER:
        return False
    managers = list(
        Membership.objects.select_for_update()
        .filter(team_id=membership.team_id, role=Role.MANAGER)
        .values_list("pk", flat=True)
    )
    return managers == [membership.pk]


def _require_manager(team: Team, by: Any) -> None:
    if getattr(by, "is_superuser", False):
        return
    if not Membership.objects.filter(team=team, user=by, role=Role.MANAGER).exists():
        raise TeamError("Only the team's managers can do that.")


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    """Make a member a manager or a manager a member; the last manager cannot be demoted."""
    if role not in Role.values:
        raise TeamError("Unknown role.")
    _require_manager(membership.team, by)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return membership
    if role != Role.MANAGER and _is_last_manager(membership):
        raise TeamError(
            f"{membership.user.name} is the team's only manager. Make someone else a manager "
            "first, then change this role."
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def _drop(membership: Membership) -> None:
    """Remove the membership and the person from assignments naming them in this team."""
    Assignment.assignees.through.objects.filter(
        assignment__team_id=membership.team_id, user_id=membership.user_id
    ).delete()
    membership.delete()


@transaction.atomic
def membership_remove(*, membership: Membership, by: Any) -> None:
    """Take a person out of the team (a manager's act); the last manager cannot be removed."""
    _require_manager(membership.team, by)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if _is_last_manager(membership):
        raise TeamError(
            f"{membership.user.name} is the team's only manager and cannot be removed. Make "
            "someone else a manager first."
        )
    _drop(membership)


@transaction.atomic
def team_leave(*, team: Team, user: Any) -> None:
    """Leave a team of one's own accord; the last manager must hand over first."""
    membership = (
        Membership.objects.select_for_update().select_related("user").filter(team=team, user=user)
    ).first()
    if membership is None:
        raise TeamError("You are not in this team.")
    if _is_last_manager(membership):
        raise TeamError(
            "You are the team's only manager. Make someone else a manager before you leave."
        )
    _drop(membership)
