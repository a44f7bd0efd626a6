"""Command line for operators and lab authors (run as root)::

    python -m labs.sandbox grade LAB WORKSPACE [--tests tests/public] [--json] [--log]
    python -m labs.sandbox exploit LAB WORKSPACE SCRIPT.py
    python -m labs.sandbox bench LAB [--overlay solution] [--runs 10] [--progress]

``bench`` grades the lab's starter (with an overlay, e.g. its solution) N times and prints the
median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import copy_tree, grade, run_exploit, safe_relative_path


def make_workspace(lab: Path, overlay: str | None, into: Path) -> Path:
    target = into / "workspace"
    copy_tree(lab / "app", target)
    if overlay:
        copy_tree(lab.joinpath(*safe_relative_path(overlay).parts), target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labs.sandbox")
    commands = parser.add_subparsers(dest="command", required=True)
    grade_cmd = commands.add_parser("grade", help="grade a workspace")
    grade_cmd.add_argument("lab", type=Path)
    grade_cmd.add_argument("workspace", type=Path)
    grade_cmd.add_argument("--tests", default="tests/hidden")
    grade_cmd.add_argument("--json", action="store_true", help="print only the verdict JSON")
    grade_cmd.add_argument(
        "--log", action="store_true", help="also print the grader log (staff only)"
    )
    exploit_cmd = commands.add_parser("exploit", help="run an exploit script against a workspace")
    exploit_cmd.add_argument("lab", type=Path)
    exploit_cmd.add_argument("workspace", type=Path)
    exploit_cmd.add_argument("script", type=Path)
    bench_cmd = commands.add_parser("bench", help="median grading time of a lab")
    bench_cmd.add_argument("lab", type=Path)
    bench_cmd.add_argument(
        "--overlay", default="solution", help="folder laid over app/ ('' for none)"
    )
    bench_cmd.add_argument("--tests", default="tests/hidden")
    bench_cmd.add_argument("--runs", type=int, default=10)
    bench_cmd.add_argument(
        "--progress", action="store_true", help="grade with a no-op on_progress (its cost)"
    )
    args = parser.parse_args(argv)

    if args.command == "grade":
        result = grade(lab=args.lab, workspace=args.workspace, tests=args.tests)
        if args.json:
            print(result.to_json())
        else:
            print(f"verdict: {result.verdict}  ({result.duration_ms} ms)  {result.reason}")
            for check in result.checks:
                print(f"  [{check.outcome:>8}] {check.kind:<10} {check.title}  {check.message}")
            if result.app_stderr:
                print("--- app stderr ---\n" + result.app_stderr)
            if result.test_output:
                print("--- pytest output ---\n" + result.test_output)
        if args.log:
            print("--- grader log ---\n" + result.grader_log)
        return 0
    if args.command == "exploit":
        result = run_exploit(lab=args.lab, workspace=args.workspace, script=args.script.read_text())
        print(json.dumps(result.as_dict(), indent=2))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        workspace = make_workspace(args.lab, args.overlay or None, Path(scratch))
        timings = []
        for index in range(args.runs):
            started = time.perf_counter()
            result = grade(
                lab=args.lab,
                workspace=workspace,
                tests=args.tests,
                on_progress=(lambda checks: None) if args.progress else None,
            )
            timings.append((time.perf_counter() - started) * 1000)
            print(f"run {index + 1}: {result.verdict} {timings[-1]:.0f} ms", flush=True)
    print(
        f"median {statistics.median(timings):.0f} ms, min {min(timings):.0f} ms, "
        f"max {max(timings):.0f} ms over {len(timings)} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
