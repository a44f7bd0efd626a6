"""Create the demo people and the demo team's history (idempotent). Refuses to run in production.

Each app seeds its own part through its own services, by a command called by name (portal
imports no app): ``seed_demo_labs`` grades the members' fixes in the sandbox,
``seed_demo_courses`` records their quiz attempts and reading, ``seed_demo_team`` builds bob's
team and its assignments. The scenario they share is :mod:`portal.demo`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.demo import DEMO_MEMBERS, DEMO_TEAM_NAME
from portal.services import DEMO_PEOPLE, demo_members_seed, demo_people_seed

#: Each app's part of the demo, in order: history first, then the team that assigns the work.
APP_SEEDS = ("seed_demo_labs", "seed_demo_courses", "seed_demo_team")


class Command(BaseCommand):
    help = (
        "Create demo accounts (learner, manager, outsider, author, admin) with verified emails, "
        "and the manager's team with a few weeks of its members' work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Password for every demo account (default: $DEMO_PASSWORD or 'patchwise-demo').",
        )
        parser.add_argument(
            "--no-sandbox",
            action="store_true",
            help="Start no sandbox: labs are stored without validation and no fix is graded.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: demo accounts have known passwords."
            )
        password = str(options["password"] or settings.DEMO_PASSWORD)
        no_sandbox = bool(options["no_sandbox"])
        verbosity = int(options.get("verbosity", 1))
        created = demo_people_seed(password=password)
        created |= demo_members_seed(password=password)
        commands = get_commands()
        if "load_content" in commands:
            call_command(
                "load_content", no_validate=no_sandbox, verbosity=verbosity, stdout=self.stdout
            )
        self.stdout.write(f"Demo team “{DEMO_TEAM_NAME}”:")
        for name in APP_SEEDS:
            if name in commands:
                extra = {"skip": True} if name == "seed_demo_labs" and no_sandbox else {}
                call_command(name, verbosity=verbosity, stdout=self.stdout, **extra)
        for person in DEMO_PEOPLE:
            mark = "created" if person.email in created else "exists"
            self.stdout.write(f"  {person.role:<9} {person.email:<24} ({mark}) {person.note}")
        others = [m for m in DEMO_MEMBERS if m.email not in {p.email for p in DEMO_PEOPLE}]
        self.stdout.write(
            f"  and {len(others)} members of bob's team ({others[0].email}, ...), same password"
        )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {password}"))
