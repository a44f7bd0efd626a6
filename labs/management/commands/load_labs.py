"""Store, validate and publish the lab bundles under content/labs/, idempotently.

A changed bundle becomes a new lab version, validated in the sandbox and published when valid; an
unchanged one is left as it is. ``load_content`` runs this first, so that articles, paths and
quizzes can link to the labs.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs.models import LabVersion
from labs.services import (
    BundleError,
    lab_version_publish,
    lab_version_store,
    lab_versions_validate,
    read_folder,
)


class Command(BaseCommand):
    help = "Load the lab bundles under content/labs/: store, validate, publish (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--content-dir", default=None, help="Folder holding labs/ (default: content/)."
        )
        parser.add_argument(
            "--no-validate",
            action="store_true",
            help="Store new lab versions without validating (and so without publishing) them.",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Grade every new version, even one the same engine already found valid.",
        )

    def handle(self, *args: object, **options: object) -> None:
        content = options["content_dir"]
        labs_dir = Path(str(content)) / "labs" if content else Path(settings.LAB_CONTENT_DIR)
        errors = self._load_labs(
            labs_dir, no_validate=bool(options["no_validate"]), fresh=bool(options["fresh"])
        )
        if errors:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} lab bundle(s) could not be loaded.")

    def _load_labs(self, labs_dir: Path, *, no_validate: bool, fresh: bool) -> list[str]:
        counts = {"created": 0, "unchanged": 0, "published": 0, "invalid": 0}
        errors: list[str] = []
        to_validate = []
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
            else:
                to_validate.append((folder, version))
        if to_validate:
            self.stdout.write(
                f"  validating {len(to_validate)} new lab version(s) in the sandbox, "
                f"{settings.LAB_VALIDATION_PARALLEL} at a time (reports of unchanged bundles "
                "are reused; the first time takes a few minutes)..."
            )
            self.stdout.flush()
        # A sandbox failure is recorded on the version as an invalid report, not raised. Each lab
        # is published and reported as soon as its own validation ends.
        folders_of = {version.pk: folder for folder, version in to_validate}

        def done(version: LabVersion) -> None:
            folder = folders_of[version.pk]
            if version.is_valid:
                lab_version_publish(version=version)
                counts["published"] += 1
                reused = " (report reused)" if version.validation_report.get("reused") else ""
                self._line(folder.name, f"v{version.number}", f"new, valid, published{reused}")
            else:
                counts["invalid"] += 1
                report = version.validation_report
                failed = [r["rule"] for r in report.get("rules", []) if not r["ok"]]
                detail = report.get("error") or "; ".join(failed)
                self._line(folder.name, f"v{version.number}", f"new, INVALID: {detail}")
            self.stdout.flush()

        lab_versions_validate(
            versions=[version for _, version in to_validate],
            reuse=not fresh,
            parallel=settings.LAB_VALIDATION_PARALLEL,
            on_done=done,
        )
        self.stdout.write("labs: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        return errors

    def _line(self, name: str, version: str, state: str) -> None:
        self.stdout.write(f"  lab {name:<28} {version:<5} {state}")
