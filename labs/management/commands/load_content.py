"""Load content files into the database, idempotently (labs now; articles and quizzes join)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs import sandbox
from labs.bundles import BundleError, read_folder
from labs.services import lab_version_publish, lab_version_store, lab_version_validate


class Command(BaseCommand):
    help = "Load lab bundles from content/labs/: a changed bundle becomes a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--labs-dir", default=None, help="Folder of lab bundles.")
        parser.add_argument(
            "--no-validate",
            action="store_true",
            help="Store new versions without validating (and so without publishing) them.",
        )

    def handle(self, *args: object, **options: object) -> None:
        labs_dir = Path(str(options["labs_dir"] or settings.LAB_CONTENT_DIR))
        counts = {"created": 0, "unchanged": 0, "published": 0, "invalid": 0}
        errors: list[str] = []
        for folder in sorted(p for p in labs_dir.iterdir() if (p / "lab.toml").is_file()):
            try:
                version, created = lab_version_store(bundle=read_folder(folder), source=str(folder))
            except BundleError as exc:
                errors.append(f"{folder}/lab.toml: {exc}")
                continue
            counts["created" if created else "unchanged"] += 1
            if not created or options["no_validate"]:
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
                failed = [
                    r["rule"] for r in version.validation_report.get("rules", []) if not r["ok"]
                ]
                detail = version.validation_report.get("error") or "; ".join(failed)
                self._line(folder.name, f"v{version.number}", f"new, INVALID: {detail}")
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(f"labs: {summary}")
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} bundle(s) could not be loaded.")

    def _line(self, name: str, version: str, state: str) -> None:
        self.stdout.write(f"  lab {name:<28} {version:<5} {state}")
