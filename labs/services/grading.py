"""Grading in the worker: claim a job, run it in the sandbox, store the verdict and its checks.

A job (a :class:`~labs.models.Submission` or an :class:`~labs.models.ExploitAttempt`, both
:class:`~labs.models.GradingJob` rows) is claimed with a conditional update, and every later write
is guarded by the attempt number the claim returned, so a task delivered twice, or re-queued by
the sweeper, grades at most once and a superseded attempt writes nothing.
"""

from __future__ import annotations

import logging
import shutil
import socket
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from labs.models import (
    CheckResult,
    ExploitAttempt,
    GradingJob,
    JobStatus,
    LabSession,
    LabVersion,
    Submission,
    SubmissionKind,
    Verdict,
)
from labs.services import engine, wrong_fixes
from labs.services.bundles import BundleError, version_bundle_dir
from labs.services.job_log import logs_job
from labs.services.outbox import send_outbox
from labs.services.workspace import overlay_workspace
from labs.tasks import grade_submission, run_exploit_attempt

logger = logging.getLogger(__name__)

#: Live progress: at most one write of provisional check rows per this many seconds (the engine
#: itself calls at most every 0.25 s, so in practice none is skipped).
PROGRESS_WRITE_SECONDS = 0.2


class JobState(StrEnum):
    """What a worker's run of a job came to (the task acts on it)."""

    GRADED = "graded"  # done: the result (or a final grader error) is stored
    RETRY = "retry"  # our problem; the job is queued again and the task should retry
    SKIPPED = "skipped"  # nothing to do: finished already, or another run holds it


@dataclass(frozen=True)
class GradeOutcome:
    """What happened to a grading task: done, retry later, or nothing to do."""

    state: JobState


def claim(model: type[GradingJob], pk: int) -> int | None:
    """Move a job to running if it is queued, or running past its deadline; returns its attempt."""
    now = timezone.now()
    claimed = model.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, deadline_at__lt=now),
        pk=pk,
    ).update(
        status=JobStatus.RUNNING,
        started_at=now,
        deadline_at=now + timedelta(seconds=settings.GRADING_DEADLINE_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return model.objects.values_list("attempts", flat=True).get(pk=pk)


@contextmanager
def job_workspace(
    version: LabVersion, files: dict[str, str] | None, prefix: str
) -> Iterator[tuple[Path, Path]]:
    """The version's bundle folder and a fresh workspace (starter app + files), removed after."""
    work = Path(settings.LAB_WORK_DIR)
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=work))
    try:
        bundle_dir = version_bundle_dir(version)
        yield bundle_dir, overlay_workspace(bundle_dir / "app", files, tmp / "workspace")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@logs_job("submission", "submission_id")  # one JSON line per finished grading
def submission_grade(*, submission_id: int, worker: str = "") -> GradeOutcome:
    """Grade one submission in the sandbox and store the verdict (the worker's entry point).

    ``worker`` is the Celery node name (``worker1@host``), recorded so that with several workers
    on several machines an operator can tell which one graded it; the host name otherwise."""
    attempt = claim(Submission, submission_id)
    if attempt is None:
        return GradeOutcome(JobState.SKIPPED)
    submission = Submission.objects.select_related("version", "session").get(pk=submission_id)
    Submission.objects.filter(pk=submission_id).update(
        worker=(worker or socket.gethostname())[:200]
    )
    version = submission.version
    hidden = submission.kind != SubmissionKind.PUBLIC_TESTS
    if attempt > 1:
        _discard_checks(submission_id, attempt)  # an earlier attempt's provisional rows
    # Hidden runs list the lab's checks in lab.toml's order; public runs, in the order they finish.
    order = [str(c.get("test")) for c in version.checks] if hidden else []
    try:
        with job_workspace(version, submission.files, f"sub{submission_id}-") as (bundle, ws):
            result = engine.grade(
                lab=bundle,
                workspace=ws,
                tests=engine.HIDDEN_TESTS if hidden else engine.PUBLIC_TESTS,
                on_progress=_ProvisionalChecks(submission_id, attempt, order),
            )
    except (engine.SandboxError, BundleError, OSError) as exc:
        logger.exception("grading submission %s failed (attempt %s)", submission_id, attempt)
        _discard_checks(submission_id, attempt)
        return _grader_error(submission_id, attempt, str(exc))
    if result.verdict == Verdict.GRADER_ERROR:
        _discard_checks(submission_id, attempt)
        return _grader_error(submission_id, attempt, result.grader_log or result.reason)
    # Recognised before the row is locked: reading the fixes' code takes a moment.
    bad_fix = ""
    if submission.kind == SubmissionKind.SUBMIT and not result.passed:
        bad_fix = _recognised_bad_fix(version, result, submission.files)
    _store_result(submission_id, attempt, result, bad_fix=bad_fix)
    return GradeOutcome(JobState.GRADED)


def _lock_if_running(submission_id: int, attempt: int) -> bool:
    """Lock the submission's row if it is still running this attempt (the claim's guard)."""
    running = Submission.objects.select_for_update().filter(
        pk=submission_id, status=JobStatus.RUNNING, attempts=attempt
    )
    return bool(list(running.values_list("pk", flat=True)))


def _discard_checks(submission_id: int, attempt: int) -> None:
    """Remove the check rows of a submission this attempt still runs (provisional ones only)."""
    with transaction.atomic():
        if _lock_if_running(submission_id, attempt):
            CheckResult.objects.filter(submission_id=submission_id).delete()


def _check_rows(
    submission_id: int, checks: Iterable[engine.EngineCheck], position: dict[str, int]
) -> list[CheckResult]:
    """The rows of the engine's checks: the one place a check becomes a :class:`CheckResult`.

    ``position`` places a check by test name; a check it does not name goes after every named one,
    in the order given.
    """
    return [
        CheckResult(
            submission_id=submission_id,
            position=position.get(check.test, len(position) + i),
            test=check.test,
            title=check.title,
            kind=str(check.kind),
            outcome=str(check.outcome),
            duration_ms=check.duration_ms,
            message=check.message[:2000],
        )
        for i, check in enumerate(checks)
    ]


class _ProvisionalChecks:
    """``on_progress`` of a grading: store the checks known so far as rows of the submission.

    Writes only while this attempt still owns the submission (running, same attempt number, checked
    under the row's lock); once it does not, it never writes again. Rows are added by test name,
    never changed (a known check's outcome is final). At most one write per
    ``PROGRESS_WRITE_SECONDS``: each call carries every known check, so a skipped call loses
    nothing. ``_store_result`` replaces these rows with the final ones.
    """

    def __init__(self, submission_id: int, attempt: int, order: list[str]) -> None:
        self.submission_id = submission_id
        self.attempt = attempt
        self.position = {test: i for i, test in enumerate(order)}
        self.stored: set[str] = set()
        self.last_write = float("-inf")
        self.superseded = False

    def __call__(self, checks: tuple[engine.EngineCheck, ...]) -> None:
        new = [check for check in checks if check.test not in self.stored]
        now = time.monotonic()
        if self.superseded or not new or now - self.last_write < PROGRESS_WRITE_SECONDS:
            return
        self.last_write = now
        with transaction.atomic():
            if not _lock_if_running(self.submission_id, self.attempt):
                self.superseded = True
                return
            present = set(
                CheckResult.objects.filter(submission_id=self.submission_id).values_list(
                    "test", flat=True
                )
            )
            rows = _check_rows(self.submission_id, checks, self.position)
            CheckResult.objects.bulk_create(row for row in rows if row.test not in present)
        self.stored.update(check.test for check in checks)


def _grader_error(submission_id: int, attempt: int, detail: str) -> GradeOutcome:
    """Our fault: put it back in the queue, or give up after the last attempt without blame."""
    this_attempt = Submission.objects.filter(
        pk=submission_id, status=JobStatus.RUNNING, attempts=attempt
    )
    if attempt < settings.GRADING_MAX_ATTEMPTS:
        this_attempt.update(status=JobStatus.QUEUED, grader_log=detail[:20_000])
        return GradeOutcome(JobState.RETRY)
    this_attempt.update(
        status=JobStatus.FINISHED,
        verdict=Verdict.GRADER_ERROR,
        reason=(
            "Our grader ran into a problem of its own, so this run was not graded. It does not "
            "count against you: please submit again in a moment."
        ),
        grader_log=detail[:20_000],
        finished_at=timezone.now(),
    )
    return GradeOutcome(JobState.GRADED)


def _recognised_bad_fix(
    version: LabVersion, result: engine.GradeResult, files: dict[str, str] | None = None
) -> str:
    """The wrong fix this failed result looks like, as stored in ``Submission.bad_fix``: a lab
    bad fix's name, ``generic:<key>`` for the shared library, or "" (see
    :mod:`labs.services.wrong_fixes`). Without ``files``, only the failing checks are compared.

    A hint must never cost a learner the verdict, so a failure to recognise is logged, not raised.
    """
    if result.passed:
        return ""
    signatures = (version.validation_report or {}).get("bad_fix_signatures", {})
    try:
        lab = wrong_fixes.lab_fixes_from_bundle(version_bundle_dir(version), signatures=signatures)
        match = wrong_fixes.recognise(
            lab=lab,
            submission_files=files,
            failed_checks=[
                wrong_fixes.FailedCheck(test=c.test, kind=str(c.kind))
                for c in result.checks
                if not c.passed
            ],
            verdict=str(result.verdict),
        )
    except Exception:
        logger.exception("recognising a wrong fix of %s failed", version)
        return ""
    return match.stored if match is not None else ""


def _store_result(
    submission_id: int, attempt: int, result: engine.GradeResult, *, bad_fix: str = ""
) -> None:
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("session", "version")
            .get(pk=submission_id)
        )
        if submission.status != JobStatus.RUNNING or submission.attempts != attempt:
            return  # the sweeper handed it to another worker; that one's result counts
        now = timezone.now()
        submission.status = JobStatus.FINISHED
        submission.verdict = str(result.verdict)
        submission.reason = result.reason[:2000]
        submission.app_stderr = result.app_stderr[:16_000]
        submission.test_output = (result.test_output or "")[:64_000]
        submission.grader_log = result.grader_log[:20_000]
        submission.duration_ms = result.duration_ms
        submission.finished_at = now
        if submission.kind == SubmissionKind.SUBMIT and not result.passed:
            submission.bad_fix = bad_fix[:80]
        submission.save()
        # Replace the provisional rows of live progress: exactly one row per check, in the
        # engine's order.
        CheckResult.objects.filter(submission=submission).delete()
        CheckResult.objects.bulk_create(_check_rows(submission.pk, result.checks, {}))
        if submission.kind == SubmissionKind.SUBMIT and result.passed:
            _mark_solved(submission.session, now)


def _mark_solved(session: LabSession, when: datetime) -> None:
    session = LabSession.objects.select_for_update().get(pk=session.pk)
    if session.solved_at is None:
        session.solved_at = when
        session.score = session.potential_score()
        session.save(update_fields=["solved_at", "score", "updated_at"])


def requeue_stale() -> list[int]:
    """Runs stuck in ``running`` past their deadline (or long queued) are queued again, and jobs
    the broker never took (it was down when they were saved) leave the outbox."""
    now = timezone.now()
    requeued: list[int] = send_outbox()
    for model, task in ((Submission, grade_submission), (ExploitAttempt, run_exploit_attempt)):
        stale = list(
            model.objects.filter(status=JobStatus.RUNNING, deadline_at__lt=now).values_list(
                "pk", flat=True
            )
        )
        stale_queued = list(
            model.objects.filter(
                status=JobStatus.QUEUED,
                sent_at__isnull=False,  # the outbox's own are sent above
                created_at__lt=now - timedelta(seconds=settings.GRADING_DEADLINE_SECONDS),
            ).values_list("pk", flat=True)
        )
        for pk in stale + stale_queued:
            task.delay(pk)  # the claim in the task decides; a late original cannot also win
        requeued += stale + stale_queued
    return requeued
