"""Write articles and learning paths from the database back to content/ files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from courses import content_files


class Command(BaseCommand):
    help = "Export articles and learning paths to content/ (loading them again changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--content-dir", default=None)

    def handle(self, *args: object, **options: object) -> None:
        content = Path(str(options["content_dir"] or settings.CONTENT_DIR))
        written = content_files.export(content_dir=content)
        for path in written:
            self.stdout.write(f"  wrote {path}")
        self.stdout.write(f"exported {len(written)} file(s)")
