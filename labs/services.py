"""Writes of the labs app: storing bundles as versions, learners' drafts, submissions, grading.

The web process only stores rows and queues tasks (after commit); the worker calls
:func:`submission_grade` / :func:`exploit_attempt_run`, which claim the row with a conditional
update so that a task delivered twice, or re-queued by the sweeper, grades at most once.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from labs import sandbox
from labs.bundles import BundleError, BundleFiles, write_folder
from labs.models import (
    CheckResult,
    ExploitAttempt,
    ExploitMode,
    Lab,
    LabSession,
    LabVersion,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    ValidationStatus,
    Verdict,
)
from labs.validation import validate_bundle
from labs.workspace import overlay_workspace
from portal.lib.markdown import render_markdown
from portal.models import User

logger = logging.getLogger(__name__)

MAX_FILE_CHARS = 100_000
MAX_DRAFT_CHARS = 400_000


class LabError(Exception):
    """A request the learner can fix: the message is shown to them as it is."""


# --- Bundles and versions --------------------------------------------------------------------


def sandbox_config() -> sandbox.SandboxConfig:
    return sandbox.SandboxConfig(
        runtimes_dir=Path(settings.SANDBOX_RUNTIMES_DIR),
        work_dir=Path(settings.SANDBOX_WORK_DIR),
        slots=settings.SANDBOX_SLOTS,
    )


def sandbox_limits() -> sandbox.Limits:
    return sandbox.Limits(
        wall_seconds=float(settings.SANDBOX_WALL_SECONDS),
        memory_mb=settings.SANDBOX_MEMORY_MB,
        processes=settings.SANDBOX_PROCESSES,
        file_size_mb=settings.SANDBOX_FILE_SIZE_MB,
    )


def _manifest(bundle: BundleFiles) -> dict:
    """lab.toml as JSON-ready data (TOML dates become strings)."""
    try:
        raw = tomllib.loads(bundle.text("lab.toml"))
    except tomllib.TOMLDecodeError as exc:
        raise BundleError(f"lab.toml: {exc}") from None
    return json.loads(json.dumps(raw, default=str))


def _check_spec(bundle: BundleFiles) -> sandbox.LabSpec:
    """Validate lab.toml with the engine's own loader (the one grading will use)."""
    with tempfile.TemporaryDirectory(prefix="patchwise-bundle-") as tmp:
        try:
            return sandbox.load_lab(write_folder(bundle, Path(tmp) / "bundle"))
        except sandbox.LabBundleError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            raise BundleError("; ".join(problems)) from None


def _without_title(markdown_text: str) -> str:
    """Drop a leading ``# Title`` line: the page already shows the lab's title."""
    lines = markdown_text.lstrip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines)


@transaction.atomic
def lab_version_store(*, bundle: BundleFiles, source: str = "") -> tuple[LabVersion, bool]:
    """Store a bundle as a new version of its lab, unless an identical version exists."""
    spec = _check_spec(bundle)
    manifest = _manifest(bundle)
    for required in ("brief.md", "explanation.md"):
        if required not in bundle.files:
            raise BundleError(f"{required} is missing.")
    lab, _ = Lab.objects.select_for_update().get_or_create(
        slug=spec.slug,
        defaults={
            "title": spec.title,
            "framework": spec.framework,
            "difficulty": manifest.get("difficulty", "beginner"),
            "summary": manifest.get("summary", ""),
        },
    )
    digest = bundle.content_hash
    existing = LabVersion.objects.filter(lab=lab, content_hash=digest).first()
    if existing is not None:
        return existing, False
    number = (lab.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = LabVersion.objects.create(
        lab=lab,
        number=number,
        content_hash=digest,
        archive=bundle.to_zip(),
        manifest=manifest,
        brief_html=render_markdown(_without_title(bundle.text("brief.md"))),
        explanation_html=render_markdown(bundle.text("explanation.md")),
        starter_files=bundle.text_files("app"),
        solution_files=bundle.text_files("solution"),
        source=source[:300],
    )
    return version, True


def lab_version_validate(*, version: LabVersion) -> LabVersion:
    """Run the six validation rules in the sandbox and record the outcome on the version."""
    bundle_dir = version.bundle_dir()
    try:
        report = validate_bundle(bundle_dir, limits=sandbox_limits(), config=sandbox_config())
        status = ValidationStatus.VALID if report.ok else ValidationStatus.INVALID
        data = report.as_dict()
    except (sandbox.SandboxError, BundleError) as exc:
        status, data = ValidationStatus.INVALID, {"ok": False, "error": str(exc), "rules": []}
    version.validation_status = status
    version.validation_report = data
    version.validated_at = timezone.now()
    version.save(update_fields=["validation_status", "validation_report", "validated_at"])
    return version


@transaction.atomic
def lab_version_publish(*, version: LabVersion) -> Lab:
    """Make a valid version the one learners get, and refresh the lab's listing fields."""
    if not version.is_valid:
        raise LabError(f"{version} has not passed validation, so it cannot be published.")
    lab = Lab.objects.select_for_update().get(pk=version.lab_id)
    manifest = version.manifest
    lab.title = manifest.get("title", lab.title)
    lab.framework = manifest.get("framework", lab.framework)
    lab.difficulty = manifest.get("difficulty", lab.difficulty)
    lab.summary = manifest.get("summary", "")
    lab.cwe = list(manifest.get("cwe", []))
    lab.owasp = list(manifest.get("owasp", []))
    lab.estimated_minutes = int(manifest.get("estimated_minutes", 20))
    lab.published_version = version
    lab.save()
    return lab


def lab_unpublish(*, lab: Lab) -> Lab:
    lab.published_version = None
    lab.save(update_fields=["published_version", "updated_at"])
    return lab


# --- Learner sessions and drafts --------------------------------------------------------------


def _starter_editable(version: LabVersion) -> dict[str, str]:
    return {path: version.starter_files.get(path, "") for path in version.editable}


def lab_session_start(*, user: User, lab: Lab) -> LabSession:
    """The learner's session on a published lab, created on first visit with the starter draft."""
    if lab.published_version is None:
        raise LabError("This lab is not published.")
    session, _ = LabSession.objects.get_or_create(
        user=user,
        lab=lab,
        defaults={
            "version": lab.published_version,
            "draft_files": _starter_editable(lab.published_version),
        },
    )
    return session


def clean_files(*, version: LabVersion, files: dict[str, str]) -> dict[str, str]:
    """Keep a learner's files only if they are editable paths of a sane size."""
    allowed = set(version.editable)
    cleaned: dict[str, str] = {}
    total = 0
    for path, text in files.items():
        if path not in allowed or PurePosixPath(path).is_absolute() or ".." in path:
            raise LabError(f"{path} is not a file you can change in this lab.")
        if not isinstance(text, str):
            raise LabError(f"{path}: the content must be text.")
        text = text.replace("\r\n", "\n")
        if len(text) > MAX_FILE_CHARS:
            raise LabError(f"{path} is longer than {MAX_FILE_CHARS:,} characters.")
        total += len(text)
        cleaned[path] = text
    if total > MAX_DRAFT_CHARS:
        raise LabError("Your files are too large in total.")
    return cleaned


def draft_save(*, session: LabSession, files: dict[str, str]) -> LabSession:
    """Save (part of) the draft; files not sent keep their saved text."""
    cleaned = clean_files(version=session.version, files=files)
    session.draft_files = {**session.draft_files, **cleaned}
    session.save(update_fields=["draft_files", "updated_at"])
    return session


def draft_reset(*, session: LabSession) -> LabSession:
    """Back to the starter files of the lab's current version."""
    version = session.lab.published_version or session.version
    session.version = version
    session.draft_files = _starter_editable(version)
    session.save(update_fields=["version", "draft_files", "updated_at"])
    return session


def hint_reveal(*, session: LabSession, index: int) -> LabSession:
    hints = session.version.hints
    if not 0 <= index < len(hints):
        raise LabError("There is no such hint.")
    if index not in session.hints_revealed:
        session.hints_revealed = sorted({*session.hints_revealed, index})
        session.save(update_fields=["hints_revealed", "updated_at"])
    return session


def solution_reveal(*, session: LabSession) -> LabSession:
    """Unlock the explanation and the reference fix; an unsolved lab then scores 0."""
    if session.revealed_at is None:
        session.revealed_at = timezone.now()
        if session.solved_at is None:
            session.score = 0
        session.save(update_fields=["revealed_at", "score", "updated_at"])
    return session


# --- Submissions -----------------------------------------------------------------------------


def _rate_limit(user: User) -> None:
    since = timezone.now() - timedelta(minutes=1)
    recent = Submission.objects.filter(session__user=user, created_at__gte=since).count()
    recent += ExploitAttempt.objects.filter(session__user=user, created_at__gte=since).count()
    if recent >= settings.LAB_SUBMISSIONS_PER_MINUTE:
        raise LabError(
            "You have sent a lot of runs in the last minute. Take a breath and try again "
            "in a minute: nothing you typed is lost."
        )


def submission_create(
    *, session: LabSession, files: dict[str, str], kind: str = SubmissionKind.SUBMIT
) -> Submission:
    """Snapshot the learner's files and queue them for grading (one in flight per lab)."""
    from labs.tasks import grade_submission

    cleaned = clean_files(version=session.version, files=files)
    with transaction.atomic():
        locked = LabSession.objects.select_for_update().get(pk=session.pk)
        if Submission.objects.filter(session=locked).in_flight().exists():
            raise LabError(
                "Your previous run is still being graded. Wait for its result before "
                "sending another."
            )
        _rate_limit(locked.user)
        locked.draft_files = {**locked.draft_files, **cleaned}
        locked.save(update_fields=["draft_files", "updated_at"])
        submission = Submission.objects.create(
            session=locked,
            version=locked.version,
            kind=kind,
            files={**_starter_editable(locked.version), **locked.draft_files},
        )
        transaction.on_commit(lambda: grade_submission.delay(submission.pk))
    return submission


def queue_position(submission: Submission) -> int:
    """How many queued submissions are ahead of this one (0: next)."""
    if submission.status != SubmissionStatus.QUEUED:
        return 0
    return Submission.objects.filter(
        status=SubmissionStatus.QUEUED, created_at__lt=submission.created_at
    ).count()


def _claim(model, pk: int) -> int | None:
    """Move a row to running if it is queued, or running past its deadline; returns its attempt."""
    now = timezone.now()
    claimed = model.objects.filter(
        Q(status=SubmissionStatus.QUEUED) | Q(status=SubmissionStatus.RUNNING, deadline_at__lt=now),
        pk=pk,
    ).update(
        status=SubmissionStatus.RUNNING,
        started_at=now,
        deadline_at=now + timedelta(seconds=settings.GRADING_DEADLINE_SECONDS),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return model.objects.values_list("attempts", flat=True).get(pk=pk)


@contextmanager
def _job_workspace(
    version: LabVersion, files: dict[str, str] | None, prefix: str
) -> Iterator[tuple[Path, Path]]:
    """The version's bundle folder and a fresh workspace (starter app + files), removed after."""
    work = Path(settings.LAB_WORK_DIR)
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=work))
    try:
        bundle_dir = version.bundle_dir()
        yield bundle_dir, overlay_workspace(bundle_dir / "app", files, tmp / "workspace")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True)
class GradeOutcome:
    """What happened to a grading task: done, retry later, or nothing to do."""

    state: str  # graded | retry | skipped


def submission_grade(*, submission_id: int) -> GradeOutcome:
    """Grade one submission in the sandbox and store the verdict (the worker's entry point)."""
    attempt = _claim(Submission, submission_id)
    if attempt is None:
        return GradeOutcome("skipped")
    submission = Submission.objects.select_related("version", "session").get(pk=submission_id)
    Submission.objects.filter(pk=submission_id).update(worker=socket.gethostname()[:200])
    version = submission.version
    tests = "tests/public" if submission.kind == SubmissionKind.PUBLIC_TESTS else "tests/hidden"
    if attempt > 1:
        _discard_checks(submission_id, attempt)  # an earlier attempt's provisional rows
    # Hidden runs list the lab's checks in lab.toml's order; public runs, in the order they finish.
    order = [str(c.get("test")) for c in version.checks] if tests == "tests/hidden" else []
    files = submission.files
    try:
        with _job_workspace(version, files, f"sub{submission_id}-") as (bundle, workspace):
            result = sandbox.grade(
                lab=bundle,
                workspace=workspace,
                tests=tests,
                limits=sandbox_limits(),
                config=sandbox_config(),
                on_progress=_ProvisionalChecks(submission_id, attempt, order),
            )
    except (sandbox.SandboxError, BundleError, OSError) as exc:
        logger.exception("grading submission %s failed (attempt %s)", submission_id, attempt)
        _discard_checks(submission_id, attempt)
        return _grader_error(submission_id, attempt, str(exc))
    if result.verdict == sandbox.Verdict.GRADER_ERROR:
        _discard_checks(submission_id, attempt)
        return _grader_error(submission_id, attempt, result.grader_log or result.reason)
    _store_result(submission_id, attempt, result)
    return GradeOutcome("graded")


#: Live progress: at most one write of provisional check rows per this many seconds (the engine
#: itself calls at most every 0.25 s, so in practice none is skipped).
PROGRESS_WRITE_SECONDS = 0.2


def _lock_if_running(submission_id: int, attempt: int) -> bool:
    """Lock the submission's row if it is still running this attempt (the claim's guard)."""
    running = Submission.objects.select_for_update().filter(
        pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempt
    )
    return bool(list(running.values_list("pk", flat=True)))


def _discard_checks(submission_id: int, attempt: int) -> None:
    """Remove the check rows of a submission this attempt still runs (provisional ones only)."""
    with transaction.atomic():
        if _lock_if_running(submission_id, attempt):
            CheckResult.objects.filter(submission_id=submission_id).delete()


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

    def __call__(self, checks: tuple[sandbox.CheckResult, ...]) -> None:
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
            CheckResult.objects.bulk_create(
                CheckResult(
                    submission_id=self.submission_id,
                    position=self.position.get(check.test, len(self.position) + i),
                    test=check.test,
                    title=check.title,
                    kind=check.kind,
                    outcome=str(check.outcome),
                    duration_ms=check.duration_ms,
                    message=check.message[:2000],
                )
                for i, check in enumerate(checks)
                if check.test not in present
            )
        self.stored.update(check.test for check in checks)


def _grader_error(submission_id: int, attempt: int, detail: str) -> GradeOutcome:
    """Our fault: put it back in the queue, or give up after the last attempt without blame."""
    if attempt < settings.GRADING_MAX_ATTEMPTS:
        Submission.objects.filter(
            pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempt
        ).update(status=SubmissionStatus.QUEUED, grader_log=detail[:20_000])
        return GradeOutcome("retry")
    Submission.objects.filter(
        pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempt
    ).update(
        status=SubmissionStatus.FINISHED,
        verdict=Verdict.GRADER_ERROR,
        reason=(
            "Our grader ran into a problem of its own, so this run was not graded. It does not "
            "count against you: please submit again in a moment."
        ),
        grader_log=detail[:20_000],
        finished_at=timezone.now(),
    )
    return GradeOutcome("graded")


def _recognised_bad_fix(version: LabVersion, result: sandbox.GradeResult) -> str:
    """The name of the known wrong fix whose failing checks this result matches, if any."""
    failed = sorted(check.test for check in result.checks if not check.passed)
    signatures = (version.validation_report or {}).get("bad_fix_signatures", {})
    if not isinstance(signatures, dict) or not failed:
        return ""
    for name, tests in signatures.items():
        if sorted(tests) == failed:
            return name
    return ""


def _store_result(submission_id: int, attempt: int, result: sandbox.GradeResult) -> None:
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update()
            .select_related("session", "version")
            .get(pk=submission_id)
        )
        if submission.status != SubmissionStatus.RUNNING or submission.attempts != attempt:
            return  # the sweeper handed it to another worker; that one's result counts
        now = timezone.now()
        submission.status = SubmissionStatus.FINISHED
        submission.verdict = str(result.verdict)
        submission.reason = result.reason[:2000]
        submission.app_stderr = result.app_stderr[:16_000]
        submission.test_output = (result.test_output or "")[:64_000]
        submission.grader_log = result.grader_log[:20_000]
        submission.duration_ms = result.duration_ms
        submission.finished_at = now
        if submission.kind == SubmissionKind.SUBMIT and not result.passed:
            submission.bad_fix = _recognised_bad_fix(submission.version, result)
        submission.save()
        # Replace the provisional rows of live progress: exactly one row per check.
        CheckResult.objects.filter(submission=submission).delete()
        CheckResult.objects.bulk_create(
            CheckResult(
                submission=submission,
                position=i,
                test=check.test,
                title=check.title,
                kind=check.kind,
                outcome=str(check.outcome),
                duration_ms=check.duration_ms,
                message=check.message[:2000],
            )
            for i, check in enumerate(result.checks)
        )
        if submission.kind == SubmissionKind.SUBMIT and result.passed:
            _mark_solved(submission.session, now)


def _mark_solved(session: LabSession, when) -> None:
    session = LabSession.objects.select_for_update().get(pk=session.pk)
    if session.solved_at is None:
        session.solved_at = when
        session.score = session.potential_score()
        session.save(update_fields=["solved_at", "score", "updated_at"])


def requeue_stale() -> list[int]:
    """Runs stuck in ``running`` past their deadline (or long queued) are queued again."""
    from labs.tasks import grade_submission, run_exploit_attempt

    now = timezone.now()
    requeued: list[int] = []
    for model, task in ((Submission, grade_submission), (ExploitAttempt, run_exploit_attempt)):
        stale = list(
            model.objects.filter(status=SubmissionStatus.RUNNING, deadline_at__lt=now).values_list(
                "pk", flat=True
            )
        )
        for pk in stale:
            task.delay(pk)  # the claim in the task decides; a late original cannot also win
        stale_queued = list(
            model.objects.filter(
                status=SubmissionStatus.QUEUED,
                created_at__lt=now - timedelta(seconds=settings.GRADING_DEADLINE_SECONDS),
            ).values_list("pk", flat=True)
        )
        for pk in stale_queued:
            task.delay(pk)
        requeued += stale + stale_queued
    return requeued


# --- Exploit step ----------------------------------------------------------------------------

MAX_SCRIPT_CHARS = 20_000
ALLOWED_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def exploit_attempt_create(
    *, session: LabSession, mode: str, script: str = "", request: dict | None = None
) -> ExploitAttempt:
    """Queue a learner's exploit: a Python script with ``client``, or one HTTP request."""
    from labs.tasks import run_exploit_attempt

    if not session.version.manifest.get("exploit"):
        raise LabError("This lab has no exploit step.")
    if mode == ExploitMode.SCRIPT:
        if not script.strip():
            raise LabError("Write a script first: it gets a ready `client` to use.")
        if len(script) > MAX_SCRIPT_CHARS:
            raise LabError(f"Scripts are limited to {MAX_SCRIPT_CHARS:,} characters.")
        request = {}
    elif mode == ExploitMode.REQUEST:
        request = _clean_request(request or {})
        script = ""
    else:
        raise LabError("Choose a request or a script.")
    with transaction.atomic():
        locked = LabSession.objects.select_for_update().get(pk=session.pk)
        if locked.exploits.filter(
            status__in=[SubmissionStatus.QUEUED, SubmissionStatus.RUNNING]
        ).exists():
            raise LabError("Your previous exploit is still running. Wait for its result.")
        _rate_limit(locked.user)
        attempt = ExploitAttempt.objects.create(
            session=locked, version=locked.version, mode=mode, script=script, request=request
        )
        transaction.on_commit(lambda: run_exploit_attempt.delay(attempt.pk))
    return attempt


def _clean_request(data: dict) -> dict:
    method = str(data.get("method", "GET")).upper()
    if method not in ALLOWED_METHODS:
        raise LabError(f"{method} is not a method you can send here.")
    path = str(data.get("path", "/")).strip() or "/"
    if not path.startswith("/") or "\n" in path or "\r" in path or len(path) > 4000:
        raise LabError("The path must start with / and fit on one line.")
    headers: list[list[str]] = []
    for line in str(data.get("headers", "")).splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
            raise LabError(f"Header lines look like `Name: value` (got {line[:60]!r}).")
        headers.append([name.strip(), value.strip()])
    body = str(data.get("body", ""))
    if len(body) > 64_000:
        raise LabError("The request body is limited to 64,000 characters.")
    return {"method": method, "path": path, "headers": headers[:50], "body": body}


def exploit_attempt_run(*, attempt_id: int) -> GradeOutcome:
    """Run a queued exploit against a fresh sandboxed starter app (the worker's entry point)."""
    attempt_no = _claim(ExploitAttempt, attempt_id)
    if attempt_no is None:
        return GradeOutcome("skipped")
    attempt = ExploitAttempt.objects.select_related("version", "session").get(pk=attempt_id)
    version = attempt.version
    try:
        kwargs: dict = {}
        if attempt.mode == ExploitMode.SCRIPT:
            kwargs["script"] = attempt.script
        else:
            req = attempt.request
            kwargs["request"] = sandbox.HttpRequest(
                method=req["method"],
                path=req["path"],
                headers=tuple((k, v) for k, v in req.get("headers", [])),
                body=req.get("body", "").encode(),
            )
        with _job_workspace(version, None, f"exp{attempt_id}-") as (bundle, workspace):
            result = sandbox.run_exploit(
                lab=bundle,
                workspace=workspace,
                limits=sandbox_limits(),
                config=sandbox_config(),
                **kwargs,
            )
        data, flag_found, reason = result.as_dict(), result.flag_found, result.reason
    except (sandbox.SandboxError, BundleError, OSError) as exc:
        logger.exception("exploit attempt %s failed", attempt_id)
        if attempt_no < settings.GRADING_MAX_ATTEMPTS:
            ExploitAttempt.objects.filter(pk=attempt_id, attempts=attempt_no).update(
                status=SubmissionStatus.QUEUED
            )
            return GradeOutcome("retry")
        data, flag_found = {"status": "grader_error", "detail": str(exc)[:500]}, False
        reason = "Our sandbox had a problem running this; it does not count. Please try again."
    with transaction.atomic():
        updated = ExploitAttempt.objects.filter(
            pk=attempt_id, status=SubmissionStatus.RUNNING, attempts=attempt_no
        ).update(
            status=SubmissionStatus.FINISHED,
            flag_found=flag_found,
            result=data,
            reason=reason[:2000],
            finished_at=timezone.now(),
        )
        if updated and flag_found:
            LabSession.objects.filter(pk=attempt.session_id, exploit_done_at__isnull=True).update(
                exploit_done_at=timezone.now()
            )
    return GradeOutcome("graded")


def submission_regrade(*, submission: Submission) -> Submission:
    """Staff re-grade: a new submission with the same files, so the history stays as it was."""
    from labs.tasks import grade_submission

    with transaction.atomic():
        copy = Submission.objects.create(
            session=submission.session,
            version=submission.session.lab.published_version or submission.version,
            kind=submission.kind,
            files=submission.files,
        )
        transaction.on_commit(lambda: grade_submission.delay(copy.pk))
    return copy
