"""``grade()``: run a lab's tests against a learner's workspace in the sandbox and reach a verdict.

The verdict is computed only from what the engine itself observed (exit codes, limits, the clock)
and from the test process's own report, which lives where the app cannot write. A check that the
report does not show as passed is not passed: a missing report, a missing check or a run cut short
never turns into ``passed``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .bundle import LabSpec, load_lab
from .bwrap import check_available
from .config import SandboxConfig
from .errors import SandboxError
from .jobdir import JobDir, WorkspaceTooLarge
from .limits import MIB, Limits
from .progress import ReportTail
from .results import CheckResult, GradeResult, Outcome, Verdict
from .runner import PairRun, app_spec, run_pair, tests_spec
from .slots import acquire_slot
from .supervise import LimitHit

logger = logging.getLogger(__name__)

HIDDEN = "tests/hidden"
REPORT_MAX_BYTES = 4 * MIB
#: Live progress: at most one ``on_progress`` call per this many seconds, and the most time the
#: callback may take in all during one run before it is not called any more.
PROGRESS_SECONDS = 0.25
PROGRESS_BUDGET_SECONDS = 2.0
#: Exit codes of serve.py (see inside/serve.py).
EXIT_IMPORT_FAILED = 3

#: The exception that ended the app's start-up, when it names a limit (Python's own messages). Only
#: the last line of the traceback is read: text printed earlier proves nothing.
STDERR_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("memory", ("MemoryError", "[Errno 12]")),
    ("processes", ("[Errno 11]", "can't start new thread")),
    ("file_size", ("[Errno 27]",)),
    ("disk", ("[Errno 28]", "[Errno 122]")),
    ("open_files", ("[Errno 24]",)),
)


def new_flag() -> str:
    return f"FLAG{{{secrets.token_hex(16)}}}"


def limit_reason(hit: LimitHit, limits: Limits) -> str:
    """One sentence a learner understands, naming the limit."""
    if hit.who == "tests":
        if hit.kind == "output":
            return "Your app's responses made the checks print more output than allowed."
        return "Your app's responses were too large for the checks to handle."
    subject = "Your app" if hit.who == "app" else "Your exploit script"
    kill_mb = max(1, limits.output_kill_bytes // MIB)
    return {
        "memory": f"{subject} used more than {limits.memory_mb} MB of memory.",
        "processes": f"{subject} started more than {limits.processes} processes or threads.",
        "output": f"{subject} printed more than {kill_mb} MB of output.",
        "file_size": f"{subject} tried to write a file larger than {limits.file_size_mb} MB.",
        "disk": f"{subject} filled its {limits.disk_mb} MB of disk space.",
        "open_files": f"{subject} opened more than {limits.open_files} files at once.",
        "cpu": f"{subject} used more than {limits.effective_cpu_seconds} seconds of CPU time.",
    }.get(hit.kind, f"{subject} went over a resource limit.")


def stderr_limit(text: str, who: str) -> LimitHit | None:
    """The limit named by a traceback's last line (``MemoryError``, ``OSError: [Errno 27] ...``)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    last = lines[-1]
    for kind, markers in STDERR_MARKERS:
        if any(marker in last for marker in markers):
            return LimitHit(kind, who, last[:200])
    return None


def signal_limit(exit_code: int | None, who: str) -> LimitHit | None:
    """bubblewrap exits with 128 + N when the command died of signal N."""
    if exit_code is None or exit_code <= 128:
        return None
    signum = exit_code - 128
    if signum == signal.SIGXCPU:
        return LimitHit("cpu", who, "SIGXCPU")
    if signum == signal.SIGXFSZ:
        return LimitHit("file_size", who, "SIGXFSZ")
    return None


@dataclass
class TestReport:
    """The test process's JSON-lines report, parsed."""

    configured: bool = False
    finished: bool = False
    exitstatus: int | None = None
    collected: list[str] = field(default_factory=list)
    collection_errors: int = 0
    #: name -> list of (outcome, duration_ms, message)
    results: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    #: nodeids started but with no result (the run was cut short while they ran)
    running: list[str] = field(default_factory=list)
    #: CLOCK_MONOTONIC of configure / collected / finish events, for timing diagnostics
    times: dict[str, float] = field(default_factory=dict)
    #: nodeid -> name of every collected test, and the nodeids that have a result (live progress)
    collected_ids: dict[str, str] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    _started: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, data: bytes | None) -> TestReport:
        report = cls()
        if not data:
            return report
        report.feed(data.decode("utf-8", "replace"))
        return report

    def feed(self, text: str) -> None:
        """Add lines of the report: the whole file (``parse``), or complete lines as they come."""
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if not isinstance(event, dict):
                continue
            kind = event.get("event")
            if kind in ("configure", "collected", "finish") and isinstance(
                event.get("t"), int | float
            ):
                self.times[str(kind)] = float(event["t"])
            if kind == "configure":
                self.configured = True
            elif kind == "collected":
                tests = event.get("tests") or []
                self.collected = [str(t.get("name")) for t in tests if isinstance(t, dict)]
                self.collected_ids = {
                    str(t.get("nodeid")): str(t.get("name")) for t in tests if isinstance(t, dict)
                }
                self.collection_errors = int(event.get("errors") or 0)
            elif kind == "start":
                self._started[str(event.get("nodeid"))] = ""
            elif kind == "result":
                nodeid = str(event.get("nodeid"))
                self._started.pop(nodeid, None)
                self.done.add(nodeid)
                name = str(event.get("name"))
                entry = (
                    str(event.get("outcome")),
                    int(event.get("duration_ms") or 0),
                    str(event.get("message") or ""),
                )
                self.results.setdefault(name, []).append(entry)
            elif kind == "finish":
                self.finished = True
                self.exitstatus = int(event.get("exitstatus", -1))
        self.running = list(self._started)

    def running_names(self) -> set[str]:
        return {nodeid.rsplit("::", 1)[-1].split("[", 1)[0] for nodeid in self.running}


OUTCOME_ORDER = {"timeout": 0, "error": 1, "failed": 2, "skipped": 3, "passed": 4}


def combine(entries: list[tuple[str, int, str]]) -> tuple[Outcome, int, str]:
    """A check passes only if every test (every parametrisation) of that name passed."""
    worst = min(entries, key=lambda entry: OUTCOME_ORDER.get(entry[0], 1))
    duration = sum(entry[1] for entry in entries)
    outcome = {
        "passed": Outcome.PASSED,
        "failed": Outcome.FAILED,
        "error": Outcome.ERROR,
        "timeout": Outcome.TIMEOUT,
        "skipped": Outcome.NOT_RUN,
    }.get(worst[0], Outcome.ERROR)
    return outcome, duration, worst[2]


def check_message(outcome: Outcome, limits: Limits, detail: str, *, public: bool) -> str:
    if outcome is Outcome.PASSED:
        return ""
    if outcome is Outcome.FAILED:
        return detail if public and detail else "This check failed."
    if outcome is Outcome.TIMEOUT:
        return f"Your app did not answer within {limits.request_timeout_seconds:g} seconds."
    if outcome is Outcome.ERROR:
        return (
            detail
            if public and detail
            else "This check could not complete: the app failed or stopped answering."
        )
    return "This check did not run."


def build_checks(
    spec: LabSpec, report: TestReport, limits: Limits, *, public: bool, cut_short: bool
) -> list[CheckResult]:
    if public:
        names = list(dict.fromkeys(report.collected))
        wanted = [
            (name, name.removeprefix("test_").replace("_", " "), "functional") for name in names
        ]
    else:
        wanted = [(check.test, check.title, check.kind) for check in spec.checks]
    running = report.running_names()
    checks = []
    for test, title, kind in wanted:
        entries = report.results.get(test)
        if entries and test not in running:
            outcome, duration, detail = combine(entries)
        elif test in running and cut_short:
            outcome, duration, detail = Outcome.TIMEOUT, 0, ""
        elif entries:
            outcome, duration, detail = combine(entries)
        else:
            outcome, duration, detail = Outcome.NOT_RUN, 0, ""
        message = check_message(outcome, limits, detail, public=public)
        checks.append(CheckResult(test, title, kind, outcome, duration, message))
    return checks


def known_checks(
    spec: LabSpec, report: TestReport, limits: Limits, *, public: bool
) -> tuple[CheckResult, ...]:
    """The checks whose every collected test has a result, as the final result will show them.

    A check stays out until all its tests (every parametrisation) have finished: its outcome then
    no longer changes, so live progress never shows a check passing that the verdict fails.
    """
    unfinished = {
        name for nodeid, name in report.collected_ids.items() if nodeid not in report.done
    }
    known = {name for name in report.collected_ids.values() if name in report.results} - unfinished
    if not known:
        return ()
    checks = build_checks(spec, report, limits, public=public, cut_short=False)
    return tuple(check for check in checks if check.test in known)


class Progress:
    """Follow the report during a run and tell ``on_progress`` the checks known so far.

    Purely informational: it never touches what the verdict is computed from. The supervision loop
    calls :meth:`tick` on its sampling tick; ``on_progress`` is called when new checks are known,
    at most every ``PROGRESS_SECONDS`` (later ones wait for the next tick past that), and once more
    after the run with what the complete report adds. An exception in ``on_progress`` is logged and
    grading goes on; a callback that takes more than ``PROGRESS_BUDGET_SECONDS`` in all is not
    called again during this run.
    """

    def __init__(
        self,
        on_progress: Callable[[tuple[CheckResult, ...]], None],
        *,
        spec: LabSpec,
        limits: Limits,
        public: bool,
        path: Path,
    ) -> None:
        self.on_progress = on_progress
        self.spec = spec
        self.limits = limits
        self.public = public
        self.tail = ReportTail(path, REPORT_MAX_BYTES)
        self.report = TestReport()
        self.delivered: tuple[CheckResult, ...] = ()
        self.pending: tuple[CheckResult, ...] | None = None
        self.last_call = float("-inf")
        self.spent = 0.0
        self.enabled = True

    def tick(self, now: float) -> None:
        if not self.enabled:
            return
        try:
            text = self.tail.read()
            if text:
                self.report.feed(text)
                known = known_checks(self.spec, self.report, self.limits, public=self.public)
                if len(known) > len(self.delivered):
                    self.pending = known
        except Exception:
            logger.exception("live progress stopped: the report could not be followed")
            self.enabled = False
            return
        if self.pending is not None and now - self.last_call >= PROGRESS_SECONDS:
            self._deliver(self.pending, now)

    def close(self) -> None:
        self.tail.close()

    def finish(self, report: TestReport) -> None:
        """After the run (slot released): deliver what the complete report adds."""
        if not self.enabled:
            return
        try:
            known = known_checks(self.spec, report, self.limits, public=self.public)
        except Exception:
            logger.exception("live progress: the final report could not be read for progress")
            return
        if len(known) > len(self.delivered):
            self._deliver(known, time.monotonic())

    def _deliver(self, checks: tuple[CheckResult, ...], now: float) -> None:
        self.pending = None
        self.delivered = checks
        self.last_call = now
        started = time.monotonic()
        try:
            self.on_progress(checks)
        except Exception:
            logger.exception("on_progress raised; grading goes on")
        self.spent += time.monotonic() - started
        if self.spent > PROGRESS_BUDGET_SECONDS:
            logger.warning(
                "on_progress took %.1f s in all: no more progress for this run", self.spent
            )
            self.enabled = False


def grade(
    *,
    lab: LabSpec | Path | str,
    workspace: Path | str,
    tests: str = HIDDEN,
    limits: Limits | None = None,
    config: SandboxConfig | None = None,
    on_progress: Callable[[tuple[CheckResult, ...]], None] | None = None,
) -> GradeResult:
    """Grade ``workspace`` (the learner's complete app folder) against the lab's ``tests`` folder.

    ``tests`` is ``"tests/hidden"`` (grading: the checks of lab.toml) or ``"tests/public"`` (the
    learner's own run: every public test is a check, and the full pytest output comes back).
    ``limits`` are the operator's defaults; the lab's ``[limits]`` apply on top, within their
    ceilings. Raises SandboxUnavailable / SandboxBusy / LabBundleError for problems that are not the
    learner's.

    ``on_progress``, when given, is called while the tests run with the checks known so far (the
    same ``CheckResult`` objects the result will carry, a growing tuple), in the calling thread;
    see :class:`Progress`. It is informational: the verdict comes only from the finished run.
    """
    started = time.monotonic()
    spec = lab if isinstance(lab, LabSpec) else load_lab(lab)
    config = config or SandboxConfig()
    limits = (limits or Limits()).for_lab(spec.wall_seconds, spec.memory_mb)
    suite = tests_folder(spec, tests)
    public = tests.strip("/") != HIDDEN
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise SandboxError(f"workspace {workspace} is not a folder")
    runtime = check_available(config, spec.framework)
    flag = new_flag() if spec.exploit is not None else ""

    with (
        acquire_slot(config) as slot,
        JobDir(slot, disk_mb=limits.disk_mb, private_tmpfs=config.private_tmpfs) as job,
    ):
        try:
            job.copy_in(workspace, job.app, slot.app)
        except WorkspaceTooLarge:
            return GradeResult(
                verdict=Verdict.RESOURCE_LIMIT,
                checks=tuple(not_run_checks(spec, public)),
                duration_ms=elapsed_ms(started),
                reason=f"Your files are larger than the {limits.disk_mb} MB allowed.",
            )
        job.copy_in(suite, job.tests, slot.test, private=True)
        progress = (
            None
            if on_progress is None
            else Progress(
                on_progress,
                spec=spec,
                limits=limits,
                public=public,
                path=job.report / "report.jsonl",
            )
        )
        ready_r, ready_w = os.pipe()
        os.set_blocking(ready_r, False)
        try:
            run = run_pair(
                config=config,
                app=app_spec(
                    spec=spec,
                    slot=slot,
                    job=job,
                    limits=limits,
                    runtime=runtime,
                    flag=flag,
                    ready_fd=ready_w,
                ),
                client=tests_spec(
                    slot=slot,
                    job=job,
                    limits=limits,
                    runtime=runtime,
                    flag=flag,
                    show_messages=public,
                ),
                slot=slot,
                limits=limits,
                ready_r=ready_r,
                ready_w=ready_w,
                client_is_learner=False,
                on_tick=None if progress is None else progress.tick,
            )
            report = TestReport.parse(job.read_report("report.jsonl", REPORT_MAX_BYTES))
        finally:
            if progress is not None:
                progress.close()
    if progress is not None:
        progress.finish(report)
    return decide(spec, run, report, limits, public=public, started=started)


def tests_folder(spec: LabSpec, tests: str) -> Path:
    relative = Path(tests.strip("/"))
    if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != ("tests",):
        raise SandboxError(f"tests must be a folder under the bundle's tests/, not {tests!r}")
    folder = spec.root / relative
    if not folder.is_dir():
        raise SandboxError(f"{folder} does not exist")
    return folder


def not_run_checks(spec: LabSpec, public: bool) -> list[CheckResult]:
    if public:
        return []
    return [
        CheckResult(c.test, c.title, c.kind, Outcome.NOT_RUN, 0, "This check did not run.")
        for c in spec.checks
    ]


def elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def decide(
    spec: LabSpec, run: PairRun, report: TestReport, limits: Limits, *, public: bool, started: float
) -> GradeResult:
    """Turn what was observed into a verdict, in order of precedence (see LAB_FORMAT.md)."""
    summary = run.summary
    app_stderr = run.app.stderr.text()
    test_output = run.client.stdout.text() + run.client.stderr.text()
    cut_short = (
        summary.timed_out
        or summary.limit is not None
        or (summary.app_exited and not summary.app_ready)
    )
    checks = build_checks(spec, report, limits, public=public, cut_short=cut_short)
    log = grader_log(run, report, test_output)

    def result(verdict: Verdict, reason: str = "", *, show_app_output: bool = True) -> GradeResult:
        return GradeResult(
            verdict=verdict,
            checks=tuple(checks),
            duration_ms=elapsed_ms(started),
            reason=reason,
            app_stderr=app_stderr if show_app_output else "",
            app_stdout=run.app.stdout.text() if show_app_output else "",
            test_output=test_output if public else None,
            collected=tuple(dict.fromkeys(report.collected)),
            grader_log=log,
        )

    app_signal = signal_limit(summary.app_exit_code, "app")
    if not summary.app_started:
        # The launcher never ran, so bubblewrap failed to set the sandbox up (its message is in the
        # grader log): our fault, not the learner's.
        return result(
            Verdict.GRADER_ERROR,
            "The grader failed; this attempt does not count.",
            show_app_output=False,
        )
    if summary.limit is not None:
        return result(Verdict.RESOURCE_LIMIT, limit_reason(summary.limit, limits))
    if summary.timed_out:
        return result(
            Verdict.TIMEOUT,
            f"Grading took longer than {limits.wall_seconds:g} seconds: does your app get stuck "
            "somewhere (an endless loop, a request that never returns)?",
        )
    if app_signal is not None and app_signal.kind == "cpu":
        return result(Verdict.TIMEOUT, limit_reason(app_signal, limits))
    if app_signal is not None:
        return result(Verdict.RESOURCE_LIMIT, limit_reason(app_signal, limits))
    if summary.app_exited and not summary.app_ready:
        marker = stderr_limit(app_stderr, "app")
        if marker is not None:
            return result(Verdict.RESOURCE_LIMIT, limit_reason(marker, limits))
        if summary.app_exit_code == EXIT_IMPORT_FAILED:
            return result(Verdict.DOES_NOT_START, "Your app could not start: see the error below.")
        return result(
            Verdict.DOES_NOT_START,
            f"Your app stopped while starting (exit code {summary.app_exit_code}) "
            "before it could serve requests.",
        )
    if summary.app_exited:
        return result(
            Verdict.DOES_NOT_START,
            f"Your app stopped (exit code {summary.app_exit_code}) while the checks were running.",
        )
    if not report.configured or not report.finished or summary.client_exit_code not in (0, 1):
        return result(
            Verdict.GRADER_ERROR,
            "The grader failed; this attempt does not count. Please try again.",
        )
    if report.collection_errors:
        return result(
            Verdict.GRADER_ERROR,
            "The lab's tests could not be loaded; this attempt does not count.",
        )
    if not public:
        missing = [check.test for check in spec.checks if check.test not in report.collected]
        if missing:
            return result(
                Verdict.GRADER_ERROR,
                "The lab's checks are incomplete; this attempt does not count.",
            )
    if any(check.outcome is Outcome.PASSED for check in checks) and all(
        check.passed for check in checks
    ):
        return result(Verdict.PASSED)
    if not checks:
        return result(
            Verdict.GRADER_ERROR, "The lab has no tests to run; this attempt does not count."
        )
    if any(check.outcome is Outcome.TIMEOUT for check in checks):
        return result(
            Verdict.TIMEOUT,
            f"Your app did not answer within {limits.request_timeout_seconds:g} seconds.",
        )
    if any(check.kind == "security" and not check.passed for check in checks):
        return result(
            Verdict.STILL_EXPLOITABLE,
            "At least one security check failed: the app is still exploitable.",
        )
    return result(Verdict.BROKEN, "At least one feature of the app no longer works.")


def grader_log(run: PairRun, report: TestReport, test_output: str) -> str:
    summary = run.summary
    lines = [
        f"slot={run.slot.index} app_uid={run.slot.app.uid} test_uid={run.slot.test.uid}",
        f"app: ready={summary.app_ready} ready_ms={summary.ready_ms} exited={summary.app_exited} "
        f"exit={summary.app_exit_code} killed={run.app.killed}",
        f"tests: exit={summary.client_exit_code} killed={run.client.killed} "
        f"report configured={report.configured} finished={report.finished} "
        f"exitstatus={report.exitstatus} "
        f"collected={len(report.collected)} collection_errors={report.collection_errors}",
        f"timed_out={summary.timed_out} limit={summary.limit} elapsed_ms={run.elapsed_ms}",
        "tests timeline ms: "
        + " ".join(f"{name}={(t - run.started) * 1000:.0f}" for name, t in report.times.items()),
        f"peak tasks={dict(run.monitor.peak_tasks)} peak rss={dict(run.monitor.peak_rss)}",
        "--- test process output ---",
        test_output,
        "--- app stderr ---",
        run.app.stderr.text(),
    ]
    return "\n".join(lines)
