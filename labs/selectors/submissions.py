"""A submission as its pages show it: live checks, the verdict, the wrong-fix note."""

from __future__ import annotations

from dataclasses import dataclass

from labs.diffs import FileDiff, files_diff
from labs.models import (
    CheckKind,
    CheckResult,
    Submission,
    SubmissionKind,
    Verdict,
)
from labs.selectors.workspace import queue_position
from labs.services.wrong_fixes import WrongFixNote, describe


@dataclass(frozen=True)
class LiveCheck:
    """A check of a running fix, in the lab's order: its result once known, else None."""

    title: str
    result: CheckResult | None


@dataclass(frozen=True)
class SubmissionStatusView:
    """The live part of a submission page (what the htmx partial polls)."""

    submission: Submission
    checks: list[CheckResult]
    position: int
    bad_fix_why: str
    live_checks: list[LiveCheck]
    #: The recognised wrong fix (a lab's own or a common one), or None.
    wrong_fix: WrongFixNote | None = None
    #: What a finished run says under its verdict: for public tests only what they ran (they
    #: never decide whether the hole is closed); for a failed fix without a recognised wrong
    #: fix, which checks failed. "" means the verdict's own guidance says it.
    summary: str = ""


#: Verdicts about the run itself (the app did not start, a limit): their guidance says it all.
_RUN_VERDICTS = {
    Verdict.DOES_NOT_START,
    Verdict.TIMEOUT,
    Verdict.RESOURCE_LIMIT,
    Verdict.GRADER_ERROR,
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(submission: Submission, checks: list[CheckResult], wrong_fix: object) -> str:
    if not submission.is_finished or submission.verdict in _RUN_VERDICTS:
        return ""
    failed = [check for check in checks if not check.passed]
    if submission.is_public_tests:
        passed = len(checks) - len(failed)
        if not failed:
            return (
                f"{_plural(passed, 'public check')} passed; the hidden checks decide whether the "
                "hole is closed. Submit your fix to run them."
            )
        return (
            f"{len(failed)} of {_plural(len(checks), 'public check')} failed (their output is "
            "below); the hidden checks, run when you submit, decide whether the hole is closed."
        )
    if submission.passed or wrong_fix is not None or not failed:
        return ""
    security = [c.title for c in failed if c.kind == CheckKind.SECURITY]
    functional = [c.title for c in failed if c.kind == CheckKind.FUNCTIONAL]
    parts = []
    if security:
        parts.append(
            f"{_plural(len(security), 'security check')} failed, so an attack still gets "
            f"through: {'; '.join(security)}."
        )
    if functional:
        parts.append(
            f"{_plural(len(functional), 'functional check')} failed, so a feature no longer "
            f"works as it did: {'; '.join(functional)}."
        )
    return " ".join(parts)


def _live_checks(submission: Submission, checks: list[CheckResult]) -> list[LiveCheck]:
    if not submission.is_running or submission.kind != SubmissionKind.SUBMIT:
        return []
    known = {check.test: check for check in checks}
    return [
        LiveCheck(title=str(check.get("title", "")), result=known.get(check.get("test")))
        for check in submission.version.checks
    ]


def _wrong_fix(submission: Submission) -> WrongFixNote | None:
    """Words for the wrong fix grading recognised: derived here, so wording can improve later."""
    return describe(
        submission.bad_fix,
        bad_fixes=submission.version.bad_fixes,
        vulnerability_class=str(submission.version.manifest.get("vulnerability_class", "")),
    )


def submission_status(*, submission: Submission) -> SubmissionStatusView:
    """Where a submission stands: queue position, the checks known so far, or its verdict."""
    checks = list(submission.checks.all())
    wrong_fix = _wrong_fix(submission)
    return SubmissionStatusView(
        submission=submission,
        checks=checks,
        position=queue_position(submission),
        bad_fix_why=wrong_fix.message if wrong_fix else "",
        live_checks=_live_checks(submission, checks),
        wrong_fix=wrong_fix,
        summary=_summary(submission, checks, wrong_fix),
    )


@dataclass(frozen=True)
class SubmissionPage:
    """A submission's full page: its status, and diffs against the starter and the last try."""

    status: SubmissionStatusView
    previous: Submission | None
    diff_starter: list[FileDiff]
    diff_previous: list[FileDiff] | None


def submission_page(*, submission: Submission) -> SubmissionPage:
    previous = (
        submission.session.submissions.filter(
            kind=submission.kind, created_at__lt=submission.created_at
        )
        .order_by("-created_at")
        .first()
    )
    starter = {p: submission.version.starter_files.get(p, "") for p in submission.files}
    return SubmissionPage(
        status=submission_status(submission=submission),
        previous=previous,
        diff_starter=files_diff(starter, submission.files),
        diff_previous=files_diff(previous.files, submission.files) if previous else None,
    )
