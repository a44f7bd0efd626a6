"""What lab pages read: the catalogue, a learner's workspace and submission pages, the admin's
validation report, and (at the end) what other apps may read about labs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet

from labs.diffs import FileDiff, files_diff
from labs.models import (
    CheckOutcome,
    CheckResult,
    Difficulty,
    ExploitAttempt,
    JobStatus,
    Lab,
    LabSession,
    LabVersion,
    Submission,
    SubmissionKind,
    VulnerabilityClass,
)
from labs.services.wrong_fixes import WrongFixNote, describe
from portal.lib.frameworks import Framework
from portal.lib.owasp import is_current, owasp_label
from portal.models import User


class LabProgress(models.TextChoices):
    """Where the learner stands on a lab, derived from their session (nothing stored)."""

    NOT_STARTED = "not-started", "Not started"
    STARTED = "started", "In progress"
    EXPLOITED = "exploited", "Exploited"
    SOLVED = "solved", "Solved"
    SOLUTION_SHOWN = "solution-shown", "Solution shown"

    @classmethod
    def of(cls, session: LabSession | None) -> LabProgress:
        """A fix that passed outranks the solution shown, which outranks the exploit step."""
        if session is None:
            return cls.NOT_STARTED
        if session.solved_at is not None:
            return cls.SOLVED
        if session.revealed_at is not None:
            return cls.SOLUTION_SHOWN
        if session.exploit_done_at is not None:
            return cls.EXPLOITED
        return cls.STARTED


@dataclass(frozen=True)
class Chip:
    value: str
    label: str


@dataclass(frozen=True)
class LabCard:
    lab: Lab
    progress: LabProgress
    owasp: list[Chip]  # 2025 categories, with their names
    owasp_older: list[str]  # earlier editions' ids, shown as secondary chips

    @property
    def solved(self) -> bool:
        return self.progress == LabProgress.SOLVED

    @property
    def started(self) -> bool:
        return self.progress != LabProgress.NOT_STARTED


@dataclass(frozen=True)
class CatalogueOptions:
    """The values each catalogue filter offers: only those present among published labs."""

    frameworks: list[tuple[str, str]]
    difficulties: list[tuple[str, str]]
    classes: list[tuple[str, str]]
    cwes: list[tuple[str, str]]
    owasp: list[tuple[str, str]]


def _cwe_key(code: str) -> tuple[int, str]:
    number = code.rpartition("-")[2]
    return (int(number) if number.isdigit() else 0, code)


def lab_catalogue_options() -> CatalogueOptions:
    """Filter values present among published labs, in a stable order (one query)."""
    rows = Lab.objects.published().values_list(
        "framework", "difficulty", "vulnerability_class", "cwe", "owasp"
    )
    frameworks: set[str] = set()
    difficulties: set[str] = set()
    classes: set[str] = set()
    cwes: set[str] = set()
    owasp: set[str] = set()
    for framework, difficulty, vulnerability_class, cwe, owasp_ids in rows:
        frameworks.add(framework)
        difficulties.add(difficulty)
        if vulnerability_class:
            classes.add(vulnerability_class)
        cwes.update(str(c) for c in cwe or [] if isinstance(c, str))
        owasp.update(str(o) for o in owasp_ids or [] if isinstance(o, str) and is_current(o))
    class_labels = dict(VulnerabilityClass.choices)
    return CatalogueOptions(
        frameworks=[(v, label) for v, label in Framework.choices if v in frameworks],
        difficulties=[(v, label) for v, label in Difficulty.choices if v in difficulties],
        classes=sorted(((v, class_labels[v]) for v in classes), key=lambda c: c[1]),
        cwes=[(c, c) for c in sorted(cwes, key=_cwe_key)],
        owasp=[(o, owasp_label(o)) for o in sorted(owasp)],
    )


def lab_catalogue(
    *,
    user: User,
    framework: str = "",
    difficulty: str = "",
    vulnerability_class: str = "",
    cwe: str = "",
    owasp: str = "",
    q: str = "",
) -> list[LabCard]:
    """Published labs, easiest first, filtered, with the viewer's progress: two queries at most.

    CWE and OWASP ids sit in JSON lists, which SQLite cannot search by element, so those two
    filters apply to the rows fetched (a catalogue's worth of labs, never a big table).
    """
    labs = Lab.objects.published().in_difficulty_order()
    if framework:
        labs = labs.filter(framework=framework)
    if difficulty:
        labs = labs.filter(difficulty=difficulty)
    if vulnerability_class:
        labs = labs.filter(vulnerability_class=vulnerability_class)
    if q:
        labs = labs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    rows = [
        lab
        for lab in labs
        if (not cwe or cwe in (lab.cwe or [])) and (not owasp or owasp in (lab.owasp or []))
    ]
    sessions: dict[int, LabSession] = {}
    if user.is_authenticated and rows:
        sessions = {
            s.lab_id: s
            for s in LabSession.objects.filter(user=user, lab__in=[lab.pk for lab in rows])
        }
    return [
        LabCard(
            lab=lab,
            progress=LabProgress.of(sessions.get(lab.pk)),
            owasp=[Chip(o, owasp_label(o)) for o in lab.owasp or [] if is_current(str(o))],
            owasp_older=[str(o) for o in lab.owasp or [] if not is_current(str(o))],
        )
        for lab in rows
    ]


def submission_history(*, session: LabSession) -> QuerySet[Submission]:
    """The learner's graded submissions on a lab, newest first, with pass counts."""
    return session.submissions.filter(kind=SubmissionKind.SUBMIT).annotate(
        n_checks=Count("checks"),
        n_passed=Count("checks", filter=Q(checks__outcome=CheckOutcome.PASSED)),
    )


def any_lab_published() -> bool:
    return Lab.objects.published().exists()


def learner_submissions(*, user: User) -> QuerySet[Submission]:
    """The learner's own submissions (anyone else's do not exist for them)."""
    return Submission.objects.filter(session__user=user).select_related("session__lab", "version")


def learner_exploits(*, user: User) -> QuerySet[ExploitAttempt]:
    """The learner's own exploit attempts."""
    return ExploitAttempt.objects.filter(session__user=user).select_related("session__lab")


def queue_position(submission: Submission) -> int:
    """How many queued submissions are ahead of this one (0: next)."""
    if submission.status != JobStatus.QUEUED:
        return 0
    return Submission.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=submission.created_at
    ).count()


@dataclass(frozen=True)
class WorkspaceFile:
    path: str
    editable: bool
    text: str


@dataclass(frozen=True)
class HintItem:
    index: int
    cost: int
    text: str
    revealed: bool


@dataclass(frozen=True)
class LabWorkspace:
    """Everything a learner's lab page shows: brief, editor files, hints, history, runs."""

    session: LabSession
    files: list[WorkspaceFile]
    hints: list[HintItem]
    history: list[Submission]
    latest_exploit: ExploitAttempt | None
    in_flight: Submission | None
    newer_version: bool

    @property
    def lab(self) -> Lab:
        return self.session.lab

    @property
    def version(self) -> LabVersion:
        return self.session.version


def lab_workspace(*, session: LabSession) -> LabWorkspace:
    """The learner's lab page: editable files first (their draft), then the read-only ones."""
    version = session.version
    editable = set(version.editable)
    files = [
        WorkspaceFile(
            path=path,
            editable=path in editable,
            text=session.draft_files.get(path, text) if path in editable else text,
        )
        for path, text in sorted(
            version.starter_files.items(), key=lambda item: (item[0] not in editable, item[0])
        )
    ]
    hints = [
        HintItem(
            index=i,
            cost=int(hint.get("cost", 0)),
            text=str(hint.get("text", "")),
            revealed=i in session.hints_revealed,
        )
        for i, hint in enumerate(version.hints)
    ]
    return LabWorkspace(
        session=session,
        files=files,
        hints=hints,
        history=list(submission_history(session=session)[:20]),
        latest_exploit=session.exploits.order_by("-created_at").first(),
        in_flight=session.submissions.in_flight().first(),
        newer_version=session.lab.published_version_id != version.pk,
    )


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


@dataclass(frozen=True)
class RuleRow:
    rule: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class VersionValidation:
    """A version's validation as the admin shows it: status, and the rules once finished."""

    status: str
    label: str
    in_flight: bool
    validated_at: Any
    error: str = ""
    rules: list[RuleRow] = field(default_factory=list)


def lab_version_validation(*, version: LabVersion) -> VersionValidation:
    """The version's validation status and its stored per-rule report (none while in flight)."""
    report = version.validation_report if isinstance(version.validation_report, dict) else {}
    in_flight = version.is_validating
    rules = [
        RuleRow(rule=str(r.get("rule", "")), ok=bool(r.get("ok")), detail=str(r.get("detail", "")))
        for r in report.get("rules", [])
        if isinstance(r, dict)
    ]
    return VersionValidation(
        status=version.validation_status,
        label=version.get_validation_status_display(),
        in_flight=in_flight,
        validated_at=version.validated_at,
        error="" if in_flight else str(report.get("error", "")),
        rules=[] if in_flight else rules,
    )


# What other apps read about labs. Courses links articles and path steps to labs and shows a
# learner's lab progress, but must not import ``labs.models``: these functions are its only way in.


def lab_slugs() -> set[str]:
    """Slugs of every lab in the database, published or not (one query)."""
    return set(Lab.objects.values_list("slug", flat=True))


def lab_by_slug(*, slug: str) -> Lab:
    """The lab with this slug; raises ``Lab.DoesNotExist`` (callers validate slugs first)."""
    return Lab.objects.get(slug=slug)


def published_labs() -> QuerySet[Lab]:
    """Labs that learners can open: those with a published version."""
    return Lab.objects.published()


def lab_sessions_for(*, user: User, lab_ids: set[int]) -> dict[int, LabSession]:
    """The learner's session on each of these labs that they started, by lab id (one query)."""
    return {s.lab_id: s for s in LabSession.objects.filter(user=user, lab_id__in=lab_ids)}


def user_lab_sessions(*, user: User) -> QuerySet[LabSession]:
    """Every lab session of the learner with its lab, most recently active first."""
    return LabSession.objects.filter(user=user).select_related("lab").order_by("-updated_at")
