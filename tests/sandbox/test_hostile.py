"""Hostile submissions: each must end in the right verdict, leave nothing running, and learn
nothing."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from labs.sandbox import GradeResult, Limits, SandboxConfig, Verdict, grade

from .support import HOSTILE_DIR, processes_of_sandbox_users

#: Short enough to keep the suite quick; the fixture lab asks for 10 s.
QUICK = Limits(max_wall_seconds=4)


def run(
    config: SandboxConfig, lab_dir: Path, workspace: Path, limits: Limits = QUICK
) -> GradeResult:
    started = time.monotonic()
    result = grade(lab=lab_dir, workspace=workspace, limits=limits, config=config)
    elapsed = time.monotonic() - started
    # Whatever happened, the run ends within its wall clock (plus start-up and clean-up).
    assert elapsed < limits.for_lab(10, None).wall_seconds + 3, result.grader_log
    assert_nothing_left(config, result)
    return result


def assert_nothing_left(config: SandboxConfig, result: GradeResult) -> None:
    """No process of the slot's users survives a run: ``ps`` shows nothing for them."""
    match = re.search(r"app_uid=(\d+) test_uid=(\d+)", result.grader_log)
    assert match, result.grader_log
    uids = {match.group(1), match.group(2)}
    left = [line for line in processes_of_sandbox_users(config) if line.split()[0] in uids]
    assert left == [], left


@contextmanager
def responsiveness() -> Iterator[list[float]]:
    """Measure, while the block runs, the worst delay of a 10 ms sleep on this machine."""
    worst: list[float] = [0.0]
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            started = time.monotonic()
            time.sleep(0.01)
            worst[0] = max(worst[0], time.monotonic() - started - 0.01)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        yield worst
    finally:
        stop.set()
        thread.join()


def test_infinite_loop_at_import_is_a_timeout(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("infinite_loop"))

    assert result.verdict == Verdict.TIMEOUT, result.grader_log
    assert "longer than 4 seconds" in result.reason
    assert not any(check.passed for check in result.checks)


def test_memory_bomb_is_a_resource_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("memory_bomb"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app used more than 256 MB of memory."


def test_growing_memory_is_stopped_at_the_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("memory_creep"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert "256 MB of memory" in result.reason


def test_memory_hungry_request_is_a_resource_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(files={"app.py": (HOSTILE_DIR / "hungry_handler.py").read_text()})

    result = run(sandbox_config, lab_dir, workspace)

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert "256 MB of memory" in result.reason


def test_fork_bomb_is_a_resource_limit_and_the_machine_stays_responsive(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    with responsiveness() as worst_delay:
        result = run(sandbox_config, lab_dir, hostile_workspace("fork_bomb"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app started more than 64 processes or threads."
    assert result.duration_ms < 3000
    assert worst_delay[0] < 1.0


def test_output_flood_is_capped(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("output_flood"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app printed more than 1 MB of output."
    assert len(result.app_stderr) <= 64 * 1024 + 8 * 1024 + 100


def test_big_file_is_a_resource_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("big_file"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app tried to write a file larger than 16 MB."


def test_filling_the_disk_is_a_resource_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("disk_fill"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app filled its 128 MB of disk space."


def test_too_many_open_files_is_a_resource_limit(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("open_files"))

    assert result.verdict == Verdict.RESOURCE_LIMIT, result.grader_log
    assert result.reason == "Your app opened more than 256 files at once."


def test_syntax_error_does_not_start_and_shows_the_traceback(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(
        files={"app.py": "from flask import Flask\n\ndef broken(:\n    pass\n"}
    )

    result = run(sandbox_config, lab_dir, workspace)

    assert result.verdict == Verdict.DOES_NOT_START, result.grader_log
    assert 'File "/work/app/app.py", line 3' in result.app_stderr
    assert "SyntaxError" in result.app_stderr
    assert "serve.py" not in result.app_stderr  # only the learner's frames


def test_exception_at_import_does_not_start(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(
        files={"app.py": "import flask\n\napp = flask.Flask(__name__)\nundefined_name\n"}
    )

    result = run(sandbox_config, lab_dir, workspace)

    assert result.verdict == Verdict.DOES_NOT_START
    assert "NameError: name 'undefined_name' is not defined" in result.app_stderr
    assert "line 4" in result.app_stderr


def test_missing_entrypoint_does_not_start(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(
        files={"app.py": "import flask\n\napplication = flask.Flask(__name__)\n"}
    )

    result = run(sandbox_config, lab_dir, workspace)

    assert result.verdict == Verdict.DOES_NOT_START
    assert "AttributeError" in result.app_stderr


@pytest.mark.parametrize("prelude", ["early_exit", "sys_exit"])
def test_exiting_at_import_is_not_a_pass(
    sandbox_config: SandboxConfig,
    lab_dir: Path,
    hostile_workspace: Callable[[str], Path],
    prelude: str,
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace(prelude))

    assert result.verdict == Verdict.DOES_NOT_START, result.grader_log
    assert not any(check.passed for check in result.checks)


def test_exiting_while_the_checks_run_is_not_a_pass(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("exit_after_ready"))

    assert result.verdict == Verdict.DOES_NOT_START, result.grader_log
    assert "while the checks were running" in result.reason


def test_hanging_requests_time_out(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(files={"app.py": (HOSTILE_DIR / "hanging_requests.py").read_text()})
    limits = Limits(max_wall_seconds=6, request_timeout_seconds=0.5)

    result = run(sandbox_config, lab_dir, workspace, limits)

    assert result.verdict == Verdict.TIMEOUT, result.grader_log
    assert result.reason == "Your app did not answer within 0.5 seconds."


def test_app_cannot_read_the_hidden_tests(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("read_hidden"))

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log
    assert "HIDDEN-TEST-SOURCE-MARKER" not in result.app_stderr
    assert "def test_" not in result.app_stderr
    assert "DENIED /work/tests/test_hidden.py" in result.app_stderr
    assert "READ /work/report" not in result.app_stderr
    assert "LIST /work: ['app']" in result.app_stderr


def test_app_cannot_forge_the_report(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("fake_report"))

    assert "DENIED /work/report/report.jsonl" in result.app_stderr
    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log


def test_app_cannot_reach_host_services(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("network"))

    assert "CONNECTED" not in result.app_stderr
    for target in ("127.0.0.1:6379", "127.0.0.1:5432", "localhost:6379"):
        assert f"BLOCKED {target}" in result.app_stderr
    assert result.verdict == Verdict.STILL_EXPLOITABLE


def test_host_redis_is_really_there(sandbox_config: SandboxConfig) -> None:
    """Makes the test above meaningful: outside the sandbox, the same address answers."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on this machine to compare with")


def test_daemonised_process_does_not_survive(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("daemon"))

    assert "DAEMON started" in result.app_stderr
    assert result.verdict == Verdict.STILL_EXPLOITABLE
    # run() already asserted that ps lists nothing for the slot's users.


def test_app_runs_unprivileged_and_isolated(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    result = run(sandbox_config, lab_dir, hostile_workspace("whoami"))

    match = re.search(r"UID (\d+) (\d+) GID (\d+) GROUPS \[\]", result.app_stderr)
    assert match, result.app_stderr
    app_uid = re.search(r"app_uid=(\d+)", result.grader_log)
    assert app_uid and match.group(1) == match.group(2) == app_uid.group(1) != "0"
    assert "PIDS [1]" in result.app_stderr  # its own pid namespace: nothing else to see
    assert "USERNS refused" in result.app_stderr
    assert "PATCHWISE_" not in result.app_stderr.split("ENVKEYS", 1)[1].split("\n", 1)[0]
    assert re.search(r"Max processes\s+64\s+64", result.app_stderr)
    assert re.search(r"Max file size\s+16777216\s+16777216", result.app_stderr)
    assert re.search(r"Max core file size\s+0\s+0", result.app_stderr)


def test_hostile_runs_leave_the_slots_clean(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    run(sandbox_config, lab_dir, hostile_workspace("fork_bomb"))
    left = processes_of_sandbox_users(sandbox_config)
    assert [line for line in left if " Z" in line] == []


def test_hostile_workspace_fixture_keeps_the_starter(
    hostile_workspace: Callable[[str], Path],
) -> None:
    app_py = (hostile_workspace("early_exit") / "app.py").read_text()
    assert app_py.startswith("import os\n\nos._exit(0)")
    assert "def login" in app_py
