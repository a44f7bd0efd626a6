"""The labs part of ``seed_demo``: the demo team's fixes, graded in the sandbox (idempotent)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs.services.demo import demo_lab_history_seed


class Command(BaseCommand):
    help = "Give the demo team's members lab sessions and graded fixes (called by seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip", action="store_true", help="Write nothing; say that lab history was skipped."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_labs only runs with DEBUG on: it writes demo data.")
        if options["skip"]:
            self.stdout.write(self.style.WARNING("  lab history skipped (--no-sandbox)."))
            return
        started = time.monotonic()
        report = demo_lab_history_seed()
        if report.unavailable:
            self.stdout.write(
                self.style.WARNING(
                    f"  lab history skipped: the grading sandbox is not available here "
                    f"({report.unavailable}). Run `make sandbox`, then `manage.py seed_demo` again."
                )
            )
            return
        self.stdout.write(
            f"  lab history: {report.gradings} fix(es) graded in the sandbox in "
            f"{time.monotonic() - started:.0f} s; {report.solved} lab(s) solved, "
            f"{report.failed} left unsolved"
            + (f"; {report.skipped} already started, left as they were" if report.skipped else "")
        )
        if int(options.get("verbosity", 1)) > 1:
            for line in report.verdicts:
                self.stdout.write(f"    {line}")
