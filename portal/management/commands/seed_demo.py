"""Create the demo people (idempotent). Refuses to run in production."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.services import DEMO_PEOPLE, demo_people_seed


class Command(BaseCommand):
    help = "Create demo accounts (learner, manager, outsider, author, admin) with verified emails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=None,
            help="Password for every demo account (default: $DEMO_PASSWORD or 'patchwise-demo').",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: demo accounts have known passwords."
            )
        password = str(options["password"] or settings.DEMO_PASSWORD)
        created = demo_people_seed(password=password)
        if _has_content_loader():
            call_command("load_content", verbosity=options.get("verbosity", 1))
        for person in DEMO_PEOPLE:
            mark = "created" if person.email in created else "exists"
            self.stdout.write(f"  {person.role:<9} {person.email:<24} ({mark})")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {password}"))


def _has_content_loader() -> bool:
    from django.core.management import get_commands

    return "load_content" in get_commands()
