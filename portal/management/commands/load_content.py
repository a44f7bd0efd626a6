"""Load content files into the database, idempotently: lab bundles first, then articles and paths.

A changed lab bundle becomes a new lab version, validated in the sandbox and published when valid.
Articles and paths are validated as a whole first (``file:line`` errors, nothing written); rows
edited in the admin since the last load or export are reported as conflicts, not overwritten,
unless ``--force``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses import content_files
from labs import sandbox
from labs.bundles import BundleError, read_folder
from labs.services import lab_version_publish, lab_version_store, lab_version_validate


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
        errors = self._load_labs(content / "labs", bool(options["no_validate"]))
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} lab bundle(s) could not be loaded.")
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
        if report.conflicts:
            for label in report.conflicts:
                self.stderr.write(f"conflict: {label} was edited in the admin since the last load")
            raise CommandError(
                f"{len(report.conflicts)} conflict(s) left as they are; "
                "export them first, or use --force to overwrite."
            )

    def _load_labs(self, labs_dir: Path, no_validate: bool) -> list[str]:
        counts = {"created": 0, "unchanged": 0, "published": 0, "invalid": 0}
        errors: list[str] = []
        folders = sorted(p for p in labs_dir.glob("*") if (p / "lab.toml").is_file())
        for folder in folders:
            try:
                version, created = lab_version_store(bundle=read_folder(folder), source=str(folder))
            except BundleError as exc:
                errors.append(f"{folder}/lab.toml: {exc}")
                continue
            counts["created" if created else "unchanged"] += 1
            if not created or no_validate:
                self._line(folder.name, f"v{version.number}", "new" if created else "unchanged")
                continue
            try:
                version = lab_version_validate(version=version)
            except sandbox.SandboxError as exc:
                errors.append(f"{folder}: cannot validate: {exc}")
                continue
            if version.is_valid:
                lab_version_publish(version=version)
                counts["published"] += 1
                self._line(folder.name, f"v{version.number}", "new, valid, published")
            else:
                counts["invalid"] += 1
                report = version.validation_report
                failed = [r["rule"] for r in report.get("rules", []) if not r["ok"]]
                detail = report.get("error") or "; ".join(failed)
                self._line(folder.name, f"v{version.number}", f"new, INVALID: {detail}")
        self.stdout.write("labs: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        return errors

    def _line(self, name: str, version: str, state: str) -> None:
        self.stdout.write(f"  lab {name:<28} {version:<5} {state}")
