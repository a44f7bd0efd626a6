"""grade(on_progress=...): the checks known so far, while the tests still run."""

from __future__ import annotations

import json
import logging
import shutil
import time
from itertools import pairwise
from pathlib import Path

import pytest

from labs.sandbox import CheckResult, Limits, Outcome, SandboxConfig, Verdict, grade, load_lab
from labs.sandbox.checks import known_checks
from labs.sandbox.progress import ReportTail
from labs.sandbox.report import TestReport as Report

from .support import SLOW_LAB_DIR


@pytest.fixture
def slow_workspace(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SLOW_LAB_DIR / "app", tmp_path / "workspace"))


def test_checks_arrive_one_by_one_and_end_as_the_result(
    sandbox_config: SandboxConfig, slow_workspace: Path
) -> None:
    calls: list[tuple[float, tuple[CheckResult, ...]]] = []

    def on_progress(checks: tuple[CheckResult, ...]) -> None:
        calls.append((time.monotonic(), checks))

    started = time.monotonic()
    result = grade(
        lab=SLOW_LAB_DIR, workspace=slow_workspace, config=sandbox_config, on_progress=on_progress
    )
    returned = time.monotonic()

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log
    assert len(result.checks) == 4
    assert calls, "on_progress was never called"
    # While the tests were still running, not only at the end: the first call knew only part of
    # the checks, and came well before grade() returned.
    first_at, first = calls[0]
    assert 0 < len(first) < len(result.checks)
    assert first_at - started < (returned - started) - 0.3
    # Each call adds checks and never changes one it already reported.
    for (_, before), (_, after) in pairwise(calls):
        assert set(before) < set(after)
    # The last state is exactly the result's checks: same objects, order, titles, kinds, outcomes.
    assert calls[-1][1] == result.checks
    # A hidden run: no assertion text, only the outcome restated.
    failed = {check.test: check for _, checks in calls for check in checks if not check.passed}
    assert set(failed) == {"test_config_keeps_the_secret"}
    assert failed["test_config_keeps_the_secret"].outcome is Outcome.FAILED
    assert failed["test_config_keeps_the_secret"].message == "This check failed."


def test_a_parametrised_check_is_reported_only_once_all_its_cases_ran(
    sandbox_config: SandboxConfig, slow_workspace: Path
) -> None:
    seen: list[tuple[CheckResult, ...]] = []
    result = grade(
        lab=SLOW_LAB_DIR,
        workspace=slow_workspace,
        config=sandbox_config,
        on_progress=seen.append,
    )

    echo = next(check for check in result.checks if check.test == "test_echo")
    first_echo = next(check for checks in seen for check in checks if check.test == "test_echo")
    assert first_echo == echo  # the summed duration of both cases, not the first case's


def test_a_failing_callback_does_not_break_grading(
    sandbox_config: SandboxConfig, slow_workspace: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls = []

    def on_progress(checks: tuple[CheckResult, ...]) -> None:
        calls.append(checks)
        raise RuntimeError("the database is away")

    with caplog.at_level(logging.ERROR, logger="labs.sandbox.progress"):
        result = grade(
            lab=SLOW_LAB_DIR,
            workspace=slow_workspace,
            config=sandbox_config,
            on_progress=on_progress,
        )

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log
    assert len(calls) >= 2  # logged, and called again when more checks were known
    assert calls[-1] == result.checks
    assert "on_progress raised" in caplog.text


def test_the_solution_passes_with_progress_on(
    sandbox_config: SandboxConfig, slow_workspace: Path
) -> None:
    shutil.copytree(SLOW_LAB_DIR / "solution", slow_workspace, dirs_exist_ok=True)
    seen: list[tuple[CheckResult, ...]] = []

    result = grade(
        lab=SLOW_LAB_DIR, workspace=slow_workspace, config=sandbox_config, on_progress=seen.append
    )

    assert result.verdict == Verdict.PASSED, result.grader_log
    assert seen[-1] == result.checks


def test_public_runs_report_progress_too(
    sandbox_config: SandboxConfig, slow_workspace: Path
) -> None:
    seen: list[tuple[CheckResult, ...]] = []

    result = grade(
        lab=SLOW_LAB_DIR,
        workspace=slow_workspace,
        tests="tests/public",
        config=sandbox_config,
        on_progress=seen.append,
    )

    assert result.verdict == Verdict.PASSED, result.grader_log
    assert [check.test for check in seen[-1]] == ["test_home_page", "test_health"]
    assert seen[-1] == result.checks


def test_a_check_is_known_once_every_case_of_it_has_a_result() -> None:
    spec = load_lab(SLOW_LAB_DIR)
    report = Report()
    nodeids = {
        "test_slow.py::test_home_page": "test_home_page",
        "test_slow.py::test_echo[hello]": "test_echo",
        "test_slow.py::test_echo[world]": "test_echo",
    }
    tests = [{"nodeid": nodeid, "name": name} for nodeid, name in nodeids.items()]
    report.feed(json.dumps({"event": "collected", "tests": tests, "errors": 0}) + "\n")

    def result(nodeid: str, outcome: str) -> None:
        name = nodeids[nodeid]
        event = {"event": "result", "nodeid": nodeid, "name": name, "outcome": outcome}
        report.feed(json.dumps({**event, "duration_ms": 10, "message": "secret text"}) + "\n")

    def known() -> dict[str, Outcome]:
        checks = known_checks(spec, report, Limits(), public=False)
        return {check.test: check.outcome for check in checks}

    assert known() == {}
    result("test_slow.py::test_echo[hello]", "passed")
    assert known() == {}  # one case of two: not known yet
    result("test_slow.py::test_echo[world]", "failed")
    assert known() == {"test_echo": Outcome.FAILED}
    result("test_slow.py::test_home_page", "passed")
    assert known() == {"test_home_page": Outcome.PASSED, "test_echo": Outcome.FAILED}
    checks = known_checks(spec, report, Limits(), public=False)
    assert [check.message for check in checks] == ["", "This check failed."]  # no hidden text


# --- ReportTail: what a report still being written looks like --------------------------------


def test_the_tail_returns_complete_lines_only(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    tail = ReportTail(path, max_bytes=1000)
    assert tail.read() == ""  # not created yet
    with path.open("w") as handle:
        handle.write('{"event": "configure"}\n{"event": "coll')
        handle.flush()
        assert tail.read() == '{"event": "configure"}\n'
        assert tail.read() == ""
        handle.write('ected"}\n')
        handle.flush()
        assert tail.read() == '{"event": "collected"}\n'
    tail.close()
    assert tail.read() == ""


def test_the_tail_reads_no_more_than_its_bound(tmp_path: Path) -> None:
    path = tmp_path / "report.jsonl"
    path.write_text("x" * 30 + "\n" + "y" * 30 + "\n")
    tail = ReportTail(path, max_bytes=40)
    assert tail.read() == "x" * 30 + "\n"
    assert tail.read() == ""  # the second line is cut by the bound, so it never completes
    assert tail.consumed == 40
    tail.close()


def test_the_tail_ignores_what_is_not_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text('{"event": "configure"}\n')
    (tmp_path / "report.jsonl").symlink_to(target)
    tail = ReportTail(tmp_path / "report.jsonl", max_bytes=1000)
    assert tail.read() == ""
