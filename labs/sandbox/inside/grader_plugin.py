"""pytest plugin loaded into the grader's test process (inside the test sandbox).

It gives lab tests their fixtures (``app_client``, ``app_files``, ``lab_flag``) and writes the
structured report the engine grades from: one JSON object per line, appended and flushed as tests
start and end, so a run cut short by the wall clock still tells which tests passed and which one was
running. The report folder belongs to the test user alone; the learner's app cannot see or write it.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

SOCKET_PATH = os.environ.get("PATCHWISE_APP_SOCKET", "/run/app/app.sock")
APP_DIR = Path(os.environ.get("PATCHWISE_APP_DIR", "/work/app"))
REPORT_PATH = os.environ.get("PATCHWISE_REPORT", "/work/report/report.jsonl")
READY_TIMEOUT = float(os.environ.get("PATCHWISE_READY_TIMEOUT", "20"))
REQUEST_TIMEOUT = float(os.environ.get("PATCHWISE_REQUEST_TIMEOUT", "5"))
#: Public tests may be read by learners, so their failure text may be shown; hidden ones never.
SHOW_MESSAGES = os.environ.get("PATCHWISE_SHOW_MESSAGES") == "1"
LAB_FLAG = os.environ.pop("PATCHWISE_LAB_FLAG", "")
MESSAGE_LIMIT = 500


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
        state["timeout"] = True
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
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _write(event="finish", exitstatus=int(exitstatus))


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
