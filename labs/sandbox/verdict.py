"""The verdict of a grading, from what the engine observed and the test report alone.

The order of precedence is docs/LAB_FORMAT.md's: our failures first, then limits and the clock, an
app that does not start, a report that is incomplete, and only then the checks. A check that the
report does not show as passed is not passed: a missing report, a missing check or a run cut short
never turns into ``passed``.
"""

from __future__ import annotations

from .bundle import LabSpec
from .checks import build_checks
from .diagnosis import limit_reason, signal_limit, stderr_limit
from .limits import LimitKind, Limits
from .report import TestReport
from .results import CheckKind, GradeResult, Outcome, Verdict
from .runner import PairRun, elapsed_ms

#: Exit codes of serve.py (see inside/serve.py).
EXIT_IMPORT_FAILED = 3


def decide(
    spec: LabSpec, run: PairRun, report: TestReport, limits: Limits, *, public: bool, started: float
) -> GradeResult:
    """Turn what was observed into a verdict, in order of precedence (see docs/LAB_FORMAT.md)."""
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
    if app_signal is not None and app_signal.kind == LimitKind.CPU:
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
        missing = [check.test for check in spec.all_checks if check.test not in report.collected]
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
    if any(check.kind == CheckKind.SECURITY and not check.passed for check in checks):
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
