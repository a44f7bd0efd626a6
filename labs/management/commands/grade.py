"""Grade a workspace exactly as the worker does, and print the verdict."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs import sandbox
from labs.selectors import bundle_dir_for
from labs.services import sandbox_config, sandbox_limits
from labs.workspace import overlay_workspace


class Command(BaseCommand):
    help = "Grade WORKSPACE (a full app folder, or files laid over the starter) against a lab."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("lab", help="A lab slug or the path of a bundle folder.")
        parser.add_argument("workspace", help="Folder with the learner's files.")
        parser.add_argument("--json", action="store_true", help="Print the verdict as JSON.")
        parser.add_argument(
            "--public", action="store_true", help="Run tests/public instead of the hidden checks."
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            bundle = bundle_dir_for(str(options["lab"]))
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        source = Path(str(options["workspace"]))
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder.")
        work = Path(tempfile.mkdtemp(prefix="patchwise-grade-"))
        try:
            workspace = overlay_workspace(bundle / "app", source, work / "workspace")
            result = sandbox.grade(
                lab=bundle,
                workspace=workspace,
                tests="tests/public" if options["public"] else "tests/hidden",
                limits=sandbox_limits(),
                config=sandbox_config(),
            )
        except sandbox.SandboxError as exc:
            raise CommandError(str(exc)) from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if options["json"]:
            self.stdout.write(result.to_json())
            return
        self.stdout.write(f"verdict: {result.verdict}  ({result.duration_ms} ms)")
        if result.reason:
            self.stdout.write(f"reason: {result.reason}")
        for check in result.checks:
            self.stdout.write(f"  {check.outcome:<8} {check.kind:<10} {check.title}")
        if options["public"] and result.test_output:
            self.stdout.write(result.test_output)
