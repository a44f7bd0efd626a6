"""Teams and memberships: creating, the last-manager rule, adding, leaving."""

from __future__ import annotations

import pytest

from teams.models import Membership, Role, Team
from teams.services.teams import (
    TeamError,
    membership_add,
    membership_remove,
    membership_set_role,
    team_create,
    team_leave,
    team_update,
)
from tests.factories import make_team


def test_creator_becomes_the_manager_and_slug_comes_from_name(bob):
    team = team_create(name="Blue Team", created_by=bob, description=" Appsec ")
    assert team.slug == "blue-team"
    assert team.description == "Appsec"
    assert Membership.objects.get(team=team, user=bob).role == Role.MANAGER


def test_slugs_are_unique_and_never_reserved(bob):
    first = team_create(name="Blue", created_by=bob)
    second = team_create(name="Blue", created_by=bob)
    assert first.slug != second.slug
    assert team_create(name="New", created_by=bob).slug not in {"new", "join"}
    assert team_create(name="Join", created_by=bob).slug not in {"new", "join"}
    with pytest.raises(TeamError):
        team_create(name="X", created_by=bob, slug="join")


def test_blank_name_is_refused(bob):
    with pytest.raises(TeamError):
        team_create(name="   ", created_by=bob)
    assert not Team.objects.exists()


def test_update_renames_but_keeps_the_address(bob):
    team = make_team(name="Blue", managers=[bob])
    team_update(team=team, name="Red", description="new")
    team.refresh_from_db()
    assert (team.name, team.slug, team.description) == ("Red", "blue", "new")


def test_membership_add_is_idempotent_and_upgrades_only_when_asked(bob, alice):
    team = make_team(managers=[bob])
    first = membership_add(team=team, user=alice)
    again = membership_add(team=team, user=alice)
    assert first.pk == again.pk and again.role == Role.MEMBER
    assert membership_add(team=team, user=alice, role=Role.MANAGER).role == Role.MANAGER
    assert membership_add(team=team, user=alice, role=Role.MEMBER).role == Role.MANAGER
    assert Membership.objects.filter(team=team, user=alice).count() == 1


def test_last_manager_cannot_be_demoted_or_removed_or_leave(bob, alice):
    team = make_team(managers=[bob], members=[alice])
    bob_in = Membership.objects.get(team=team, user=bob)
    with pytest.raises(TeamError, match="only manager"):
        membership_set_role(membership=bob_in, role=Role.MEMBER, by=bob)
    with pytest.raises(TeamError, match="only manager"):
        membership_remove(membership=bob_in, by=bob)
    with pytest.raises(TeamError, match="only manager"):
        team_leave(team=team, user=bob)
    assert Membership.objects.get(pk=bob_in.pk).role == Role.MANAGER


def test_second_manager_lets_the_first_step_down(bob, alice):
    team = make_team(managers=[bob], members=[alice])
    alice_in = Membership.objects.get(team=team, user=alice)
    membership_set_role(membership=alice_in, role=Role.MANAGER, by=bob)
    bob_in = Membership.objects.get(team=team, user=bob)
    assert membership_set_role(membership=bob_in, role=Role.MEMBER, by=alice).role == Role.MEMBER


def test_members_cannot_change_roles(bob, alice, charlie):
    team = make_team(managers=[bob], members=[alice, charlie])
    charlie_in = Membership.objects.get(team=team, user=charlie)
    with pytest.raises(TeamError, match="managers"):
        membership_set_role(membership=charlie_in, role=Role.MANAGER, by=alice)
    with pytest.raises(TeamError):
        membership_remove(membership=charlie_in, by=alice)


def test_member_can_leave_and_is_removed_from_named_assignments(bob, alice, flask_lab):
    from django.utils import timezone

    from teams.services.assignments import assignment_create

    team = make_team(managers=[bob], members=[alice])
    assignment = assignment_create(
        team=team, kind="lab", target=flask_lab, due_at=timezone.now(), created_by=bob,
        assignees=[alice],
    )  # fmt: skip
    team_leave(team=team, user=alice)
    assert not Membership.objects.filter(team=team, user=alice).exists()
    assert list(assignment.assignees.all()) == []
    with pytest.raises(TeamError):
        team_leave(team=team, user=alice)
