"""From the test report to the checks a learner sees: one :class:`CheckResult` per check.

Hidden runs have the checks ``lab.toml`` lists (title and kind from there), then one security check
per exploit script (``exploit:<name>``, see ``bundle.ExploitScript``); public runs make every
collected test a functional check. A check passes only if every test of its name passed.
"""

from __future__ import annotations

from .bundle import EXPLOIT_CHECK_PREFIX, LabSpec
from .limits import Limits
from .report import TestReport
from .results import CheckKind, CheckResult, Outcome

#: The report's per-test outcomes (pytest's words, see ``inside/grader_plugin.py``), worst first,
#: and the check outcome each becomes. Anything else counts as an error.
REPORT_OUTCOMES: dict[str, Outcome] = {
    "timeout": Outcome.TIMEOUT,
    "error": Outcome.ERROR,
    "failed": Outcome.FAILED,
    "skipped": Outcome.NOT_RUN,
    "passed": Outcome.PASSED,
}
OUTCOME_ORDER = {name: rank for rank, name in enumerate(REPORT_OUTCOMES)}
NOT_RUN_MESSAGE = "This check did not run."
EXPLOIT_FAILED_MESSAGE = "This attack brought the planted flag back: it still works."


def combine(entries: list[tuple[str, int, str]]) -> tuple[Outcome, int, str]:
    """A check passes only if every test (every parametrisation) of that name passed."""
    worst = min(entries, key=lambda entry: OUTCOME_ORDER.get(entry[0], OUTCOME_ORDER["error"]))
    duration = sum(entry[1] for entry in entries)
    return REPORT_OUTCOMES.get(worst[0], Outcome.ERROR), duration, worst[2]


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
    return NOT_RUN_MESSAGE


def build_checks(
    spec: LabSpec, report: TestReport, limits: Limits, *, public: bool, cut_short: bool
) -> list[CheckResult]:
    if public:
        names = list(dict.fromkeys(report.collected))
        wanted = [
            (name, name.removeprefix("test_").replace("_", " "), CheckKind.FUNCTIONAL)
            for name in names
        ]
    else:
        wanted = [(check.test, check.title, check.kind) for check in spec.all_checks]
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
        if test.startswith(EXPLOIT_CHECK_PREFIX) and not public:
            # Our own words, never the script's: safe to show.
            if outcome is Outcome.PASSED:
                message = report.notes.get(test, "")
            elif outcome is Outcome.FAILED:
                message = EXPLOIT_FAILED_MESSAGE
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


def not_run_checks(spec: LabSpec, public: bool) -> list[CheckResult]:
    if public:
        return []
    return [
        CheckResult(c.test, c.title, c.kind, Outcome.NOT_RUN, 0, NOT_RUN_MESSAGE)
        for c in spec.all_checks
    ]
