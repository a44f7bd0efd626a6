"""pytest plugin loaded into the grader's test process (inside the test sandbox).

It gives lab tests their fixtures (``app_client``, ``app_files``, ``lab_flag``) and writes the
structured report the engine grades from: one JSON object per line, appended and flushed as tests
start and end, so a run cut short by the wall clock still tells which tests passed and which one was
running. The report folder belongs to the test user alone; the learner's app cannot see or write it.

Hidden runs also get one item per exploit script of the lab (``exploit:solve``, then
``exploit:<variant>``), after the tests: the script runs in a forked child of this process with
``run_exploit``'s recording client, and the item fails only when the planted flag came back in a
response that client received. An exception in the script is the attack failing, not the check;
a script that does not finish in its share of the time left is stopped and passes with a note.
The scripts are in ``/work/exploit``, a folder of the test user's that the app's sandbox never
mounts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import run_exploit

SOCKET_PATH = os.environ.get("PATCHWISE_APP_SOCKET", "/run/app/app.sock")
APP_DIR = Path(os.environ.get("PATCHWISE_APP_DIR", "/work/app"))
REPORT_PATH = os.environ.get("PATCHWISE_REPORT", "/work/report/report.jsonl")
READY_TIMEOUT = float(os.environ.get("PATCHWISE_READY_TIMEOUT", "20"))
REQUEST_TIMEOUT = float(os.environ.get("PATCHWISE_REQUEST_TIMEOUT", "5"))
#: Public tests may be read by learners, so their failure text may be shown; hidden ones never.
SHOW_MESSAGES = os.environ.get("PATCHWISE_SHOW_MESSAGES") == "1"
LAB_FLAG = os.environ.pop("PATCHWISE_LAB_FLAG", "")
MESSAGE_LIMIT = 500
#: The lab's exploit scripts (hidden runs only): ``<EXPLOIT_DIR>/<name>.py`` for each name.
EXPLOIT_DIR = os.environ.get("PATCHWISE_EXPLOIT_DIR", "/work/exploit")
EXPLOITS = [name for name in os.environ.get("PATCHWISE_EXPLOITS", "").split(",") if name]
#: The most one script may take, and the run's wall-clock deadline (CLOCK_MONOTONIC, shared with
#: the engine): scripts share what is left of it, so a hanging one never times the grading out.
EXPLOIT_SECONDS = float(os.environ.get("PATCHWISE_EXPLOIT_SECONDS", "10"))
DEADLINE = float(os.environ.get("PATCHWISE_DEADLINE", "0") or 0)
DEADLINE_MARGIN_SECONDS = 1.0
#: Every script gets time for one full request, however little is left: an app cannot starve the
#: exploits into passing by being slow (past the deadline, the run times out instead).
MIN_EXPLOIT_SECONDS = min(EXPLOIT_SECONDS, REQUEST_TIMEOUT + 1.0)


class Report:
    def __init__(self, path: str) -> None:
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
        self.handle = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def write(self, **event: Any) -> None:
        event["t"] = time.monotonic()
        self.handle.write(json.dumps(event) + "\n")
        self.handle.flush()


_report: Report | None = None
_results: dict[str, dict[str, Any]] = {}
_app_ready: bool | None = None
#: nodeid -> a note on a passed exploit check (it was stopped before it finished).
_notes: dict[str, str] = {}
_exploits_left = len(EXPLOITS)
#: A test's request timed out: the verdict is ``timeout`` whatever the exploits do, so they skip.
_app_timed_out = False


def _write(**event: Any) -> None:
    if _report is not None:
        _report.write(**event)


def pytest_configure(config: pytest.Config) -> None:
    global _report
    _report = Report(REPORT_PATH)
    _write(event="configure")


def pytest_collection_finish(session: pytest.Session) -> None:
    _write(
        event="collected",
        tests=[
            {"nodeid": item.nodeid, "name": getattr(item, "originalname", item.name)}
            for item in session.items
        ],
        errors=session.testsfailed,
    )


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    _results[nodeid] = {"phases": {}, "timeout": False, "message": "", "duration": 0.0}
    _write(event="start", nodeid=nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    state = _results.setdefault(
        item.nodeid, {"phases": {}, "timeout": False, "message": "", "duration": 0.0}
    )
    state["name"] = getattr(item, "originalname", item.name)
    if call.excinfo is not None and call.excinfo.errisinstance(httpx.TimeoutException):
        global _app_timed_out
        state["timeout"] = _app_timed_out = True
    if report.failed and SHOW_MESSAGES and not state["message"]:
        text = str(getattr(report, "longreprtext", "") or "")
        lines = [line for line in text.splitlines() if line.startswith("E ")]
        state["message"] = "\n".join(lines)[:MESSAGE_LIMIT] or text[-MESSAGE_LIMIT:]


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    state = _results.setdefault(
        report.nodeid, {"phases": {}, "timeout": False, "message": "", "duration": 0.0}
    )
    # An expected failure (xfail) is not a pass, whatever the marker says.
    phase_outcome = "failed" if report.skipped and hasattr(report, "wasxfail") else report.outcome
    state["phases"][report.when] = phase_outcome
    state["duration"] += report.duration
    if report.when != "teardown":
        return
    phases = state["phases"]
    if phases.get("setup") == "failed":
        outcome = "error"
    elif phases.get("setup") == "skipped" or phases.get("call") == "skipped":
        outcome = "skipped"
    elif phases.get("call") == "failed":
        outcome = "timeout" if state["timeout"] else "failed"
    elif phases.get("call") == "passed" and phases.get("teardown") == "passed":
        outcome = "passed"
    else:
        outcome = "error"
    _write(
        event="result",
        nodeid=report.nodeid,
        name=state.get("name") or report.nodeid.rsplit("::", 1)[-1].split("[", 1)[0],
        outcome=outcome,
        duration_ms=round(state["duration"] * 1000),
        message=state["message"] if SHOW_MESSAGES else "",
        note=_notes.get(report.nodeid, ""),
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _write(event="finish", exitstatus=int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    # After every other hook (a bundle's conftest may reorder its tests): the exploits run last.
    for name in EXPLOITS:
        items.append(
            ExploitItem.from_parent(
                session, name=f"exploit:{name}", script=os.path.join(EXPLOIT_DIR, f"{name}.py")
            )
        )


class FlagCameBack(Exception):
    """The exploit script's client received the planted flag: the attack worked."""


class ExploitItem(pytest.Item):
    """One exploit script of the lab, run as a security check (see the module docstring)."""

    def __init__(self, *, script: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.script = script

    def setup(self) -> None:
        # A problem here is an error of the check, never "the flag came back".
        global _app_ready
        if _app_timed_out:
            pytest.skip("the app already stopped answering in time")
        if _app_ready is None:
            _app_ready = _wait_for_app()
        if not _app_ready:
            pytest.fail("The app did not start.", pytrace=False)

    def runtest(self) -> None:
        global _exploits_left
        share = _exploit_seconds(_exploits_left)
        _exploits_left -= 1
        with open(self.script, encoding="utf-8") as handle:
            source = handle.read()
        filename = os.path.basename(self.script)
        exchanges = os.path.join(tempfile.mkdtemp(prefix="exploit-"), "exchanges.jsonl")
        finished = _run_forked(source, filename, exchanges, share)
        try:
            with open(exchanges, "rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
        if run_exploit.flag_in_exchanges(data, LAB_FLAG):
            raise FlagCameBack(f"{self.name}: the planted flag came back in a response")
        if not finished:
            _notes[self.nodeid] = (
                f"This attack did not finish within {share:g} s and was stopped; "
                "the flag had not come back."
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if excinfo.errisinstance(FlagCameBack):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, self.name


def _exploit_seconds(left: int) -> float:
    """This script's share of the time left before the run's deadline (never less than one
    request's timeout and a second: see ``MIN_EXPLOIT_SECONDS``)."""
    if DEADLINE <= 0:
        return EXPLOIT_SECONDS
    remaining = DEADLINE - DEADLINE_MARGIN_SECONDS - time.monotonic()
    return max(MIN_EXPLOIT_SECONDS, min(EXPLOIT_SECONDS, remaining / max(1, left)))


def _run_forked(source: str, filename: str, exchanges: str, seconds: float) -> bool:
    """Run the script in a child of this process (httpx already imported: a fork costs a few
    ms, a fresh interpreter ~100); kill its process group after ``seconds``. True if it ended."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.setpgid(0, 0)
            run_exploit.watch_flag = LAB_FLAG.encode()
            run_exploit.run_source(source, filename, exchanges)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    with contextlib.suppress(OSError):  # the child did it first, or has already ended
        os.setpgid(pid, pid)
    deadline = time.monotonic() + seconds
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done or time.monotonic() >= deadline:
            # Also whatever the script left running in its process group.
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            if not done:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            return bool(done)
        time.sleep(0.005)


def _wait_for_app() -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(SOCKET_PATH)
            return True
        except OSError:
            time.sleep(0.005)
        finally:
            probe.close()
    return False


@pytest.fixture(scope="session")
def _patchwise_app_ready() -> None:
    global _app_ready
    if _app_ready is None:
        _app_ready = _wait_for_app()
    if not _app_ready:
        pytest.fail("The app did not start.", pytrace=False)


@pytest.fixture(scope="session")
def _patchwise_transport() -> Iterator[httpx.HTTPTransport]:
    # One transport for the session: building one loads a CA bundle (~20 ms) even for plain HTTP.
    transport = httpx.HTTPTransport(uds=SOCKET_PATH, verify=False)
    yield transport
    transport.close()


class _SharedTransport(httpx.BaseTransport):
    """Lets each test's client close without closing the session's transport."""

    def __init__(self, inner: httpx.HTTPTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)


@pytest.fixture
def app_client(
    _patchwise_app_ready: None, _patchwise_transport: httpx.HTTPTransport
) -> Iterator[httpx.Client]:
    """An httpx.Client whose requests reach the learner's app (http://localhost over a unix socket).

    A fresh client per test (no cookies carried over from another test), over a shared connection
    pool.
    """
    transport = _SharedTransport(_patchwise_transport)
    with httpx.Client(
        transport=transport, base_url="http://localhost", timeout=REQUEST_TIMEOUT
    ) as client:
        yield client


@pytest.fixture(scope="session")
def app_files() -> Path:
    """The app's workspace as the app left it (read-only here)."""
    return APP_DIR


@pytest.fixture(scope="session")
def lab_flag() -> str:
    """The secret planted in the app's ``[exploit].flag_env`` for this run ("" when the lab has
    none)."""
    return LAB_FLAG
