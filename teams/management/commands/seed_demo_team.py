"""The teams part of ``seed_demo``: bob's team, its members and assignments (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from teams.services.demo import DemoError, demo_team_seed


class Command(BaseCommand):
    help = (
        "Create the demo team managed by bob, with members and assignments (called by seed_demo)."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_team only runs with DEBUG on: it writes demo data.")
        try:
            team, made = demo_team_seed()
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        if not made:
            self.stdout.write(f"  team: {team.name} exists, left as it is")
            return
        members = team.memberships.count()
        self.stdout.write(
            f"  team: {team.name} ({members} people) with {len(made)} assignment(s): "
            + "; ".join(made)
        )
