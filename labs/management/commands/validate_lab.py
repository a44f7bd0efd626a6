"""Prove a lab bundle in the real sandbox: the rules of docs/LAB_FORMAT.md (0 and 1-8).

A command, not a web request, so it validates in its own process (the admin queues a task).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs.services import BundleError, bundle_dir_for, validate_bundle
from labs.services.engine import LabBundleError, SandboxError


class Command(BaseCommand):
    help = "Validate a lab bundle (slug or folder); exits non-zero when any rule fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("lab", help="A lab slug or the path of a bundle folder.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            bundle = bundle_dir_for(str(options["lab"]))
            report = validate_bundle(bundle)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except BundleError as exc:  # a stored archive that no longer reads
            raise CommandError(f"unreadable bundle: {exc}") from None
        except LabBundleError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            raise CommandError("invalid lab.toml: " + "; ".join(problems)) from None
        except SandboxError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            width = max(len(rule.rule) for rule in report.rules)
            self.stdout.write(f"{'rule':<{width}}  result  detail")
            for rule in report.rules:
                mark = "ok    " if rule.ok else "FAILED"
                self.stdout.write(f"{rule.rule:<{width}}  {mark}  {rule.detail}")
        if not report.ok:
            raise CommandError(f"{report.slug}: validation failed.")
        self.stdout.write(self.style.SUCCESS(f"{report.slug}: valid."))
