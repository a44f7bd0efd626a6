"""Grade a workspace exactly as the worker does, and print the verdict."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from labs.services.engine import SandboxError, UnsafePath
from labs.services.workspace import workspace_grade


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
        source = Path(str(options["workspace"]))
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder.")
        try:
            result = workspace_grade(
                lab=str(options["lab"]), folder=source, public=bool(options["public"])
            )
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        except UnsafePath as exc:
            raise CommandError(
                f"Cannot grade {source}: {exc}. Remove links and special files "
                "(FIFOs, sockets, devices, hard-linked files) from the workspace folder."
            ) from None
        except SandboxError as exc:
            raise CommandError(str(exc)) from None
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
