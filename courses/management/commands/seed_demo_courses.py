"""The courses part of ``seed_demo``: the demo team's quiz attempts and reading (idempotent)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.services.demo import demo_course_history_seed


class Command(BaseCommand):
    help = "Give the demo team's members quiz attempts and article reads (called by seed_demo)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo_courses only runs with DEBUG on: it writes demo data.")
        report = demo_course_history_seed()
        self.stdout.write(
            f"  quizzes and reading: {report.attempts} attempt(s), {report.reads} article(s) read"
            + (f"; {report.skipped} already taken, left as they were" if report.skipped else "")
        )
