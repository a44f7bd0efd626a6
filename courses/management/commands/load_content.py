"""Load content files into the database, idempotently: lab bundles first, then articles and paths.

The labs are loaded by the labs app's own ``load_labs`` command (called by name, so courses does
not import labs). Articles, quizzes and paths are validated as a whole first (``file:line``
errors, nothing written); rows edited in the admin since the last load or export are reported as
conflicts, not overwritten, unless ``--force``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses import content_files
from courses.models import Article
from courses.rendering import render_article


class Command(BaseCommand):
    help = "Load labs, articles and learning paths from content/ (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--content-dir", default=None, help="Folder holding labs/, articles/..."
        )
        parser.add_argument(
            "--no-validate",
            action="store_true",
            help="Store new lab versions without validating (and so without publishing) them.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite articles and paths edited in the admin."
        )

    def handle(self, *args: object, **options: object) -> None:
        content = Path(str(options["content_dir"] or settings.CONTENT_DIR))
        call_command(
            "load_labs",
            content_dir=str(content),
            no_validate=bool(options["no_validate"]),
            verbosity=options.get("verbosity", 1),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        try:
            report = content_files.load(content_dir=content, force=bool(options["force"]))
        except content_files.ContentError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(exc.problems)} problem(s) in content files; nothing loaded."
            ) from None
        for what in ("created", "updated", "unchanged"):
            self.stdout.write(f"{what}: {len(getattr(report, what))}")
            if what != "unchanged":
                for label in getattr(report, what):
                    self.stdout.write(f"  {label}")
        # The sanitiser is silent by design; an author loading files should still hear what it
        # took out (a <script>, an onclick...), since learners will not see it.
        for article in Article.objects.only("slug", "body"):
            for removed in render_article(article.body).removed:
                self.stderr.write(f"warning: article {article.slug}: {removed}")
        if report.conflicts:
            for label in report.conflicts:
                self.stderr.write(f"conflict: {label} was edited in the admin since the last load")
            raise CommandError(
                f"{len(report.conflicts)} conflict(s) left as they are; "
                "export them first, or use --force to overwrite."
            )
