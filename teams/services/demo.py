"""The teams part of the demo (``manage.py seed_demo_team``): bob's team, its members, the work
assigned to them and a pending invitation, made through the team services.

Who is in the team and what is assigned comes from the plan in :mod:`portal.demo`; the members'
history is seeded by the labs and courses apps, each through its own services.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from portal.demo import (
    DEMO_ASSIGNMENTS,
    DEMO_INVITED_EMAIL,
    DEMO_MANAGER_EMAIL,
    DEMO_MEMBERS,
    DEMO_TEAM_DESCRIPTION,
    DEMO_TEAM_NAME,
    DEMO_TEAM_SLUG,
    DEMO_WEEKS,
)
from portal.models import User
from teams.models import Assignment, Membership, Role, Team
from teams.selectors.choices import assignable_items
from teams.services.assignments import assignment_create
from teams.services.invitations import invitation_create
from teams.services.teams import membership_add, team_create


class DemoError(Exception):
    """The demo team cannot be built (its manager's account is missing)."""


def demo_team_seed(*, now: datetime | None = None) -> tuple[Team, list[str]]:
    """Bob's demo team with its members, assignments and one pending invitation.

    Returns the team and the titles of the assignments made. Idempotent: when the team exists it
    is returned as it is, with no assignments listed. An item the plan names that is not
    published here (a lab whose validation could not run) is left out.
    """
    now = now or timezone.now()
    existing = Team.objects.filter(slug=DEMO_TEAM_SLUG).first()
    if existing is not None:
        return existing, []
    manager = User.objects.filter(email=DEMO_MANAGER_EMAIL).first()
    if manager is None:
        raise DemoError(f"The demo manager {DEMO_MANAGER_EMAIL} has no account: seed people first.")
    people = {u.email: u for u in User.objects.filter(email__in=[m.email for m in DEMO_MEMBERS])}
    members = [people[m.email] for m in DEMO_MEMBERS if m.email in people]
    # The invitation's e-mail would go to the console in the middle of the seed's output, to an
    # address nobody reads: keep it in memory. The invitation itself is real.
    in_memory = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with in_memory, transaction.atomic():
        team = team_create(
            name=DEMO_TEAM_NAME,
            created_by=manager,
            slug=DEMO_TEAM_SLUG,
            description=DEMO_TEAM_DESCRIPTION,
        )
        for user in members:
            membership_add(team=team, user=user, role=Role.MEMBER)
        made = _assignments_seed(team=team, manager=manager, members=members, now=now)
        invitation_create(team=team, email=DEMO_INVITED_EMAIL, role=Role.MEMBER, invited_by=manager)
    _backdate(team=team, members=members, now=now)
    return team, made


def _assignments_seed(
    *, team: Team, manager: User, members: list[User], now: datetime
) -> list[str]:
    published = {
        (kind, item.target.slug): item.target
        for kind, items in assignable_items().items()
        for item in items
    }
    made = []
    for planned in DEMO_ASSIGNMENTS:
        target = published.get((planned.kind, planned.slug))
        if target is None:
            continue
        due = (now + timedelta(days=planned.due_in_days)).replace(second=0, microsecond=0)
        assignees = members[: planned.first_members] if planned.first_members else None
        assignment_create(
            team=team,
            kind=planned.kind,
            target=target,
            due_at=due,
            created_by=manager,
            assignees=assignees,
            note=planned.note,
        )
        made.append(target.title)
    return made


def _backdate(*, team: Team, members: list[User], now: datetime) -> None:
    """The team was formed when the history starts; work was assigned in the weeks since."""
    formed = now - timedelta(weeks=DEMO_WEEKS, days=2)
    Team.objects.filter(pk=team.pk).update(created_at=formed)
    Membership.objects.filter(team=team).update(joined_at=formed)
    # The newest member joined a week ago (the plan lists them last).
    if members:
        Membership.objects.filter(team=team, user=members[-1]).update(
            joined_at=now - timedelta(days=8)
        )
    for assignment in Assignment.objects.filter(team=team):
        lead = timedelta(days=21) if assignment.due_at < now else timedelta(days=14)
        Assignment.objects.filter(pk=assignment.pk).update(
            created_at=max(formed, min(now, assignment.due_at - lead))
        )
