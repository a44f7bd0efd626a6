"""What other apps read about labs: courses links articles and path steps to labs and
shows a learner's lab progress, but never imports ``labs.models``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate

from labs.models import (
    CheckKind,
    CheckOutcome,
    CheckResult,
    JobStatus,
    Lab,
    LabSession,
    Submission,
    SubmissionKind,
    Verdict,
    VulnerabilityClass,
)
from labs.selectors.submissions import SubmissionPage, submission_page
from portal.models import User


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


# Cohorts: what team dashboards read about many learners at once. Each reader takes sets of user
# ids (and target ids) and runs a fixed number of queries whatever their size: aggregates and
# values() rows, never one query per learner.


def _graded() -> Q:
    """A fix submission that counts: submitted for grading and finished, our own errors aside."""
    return Q(kind=SubmissionKind.SUBMIT, status=JobStatus.FINISHED) & ~Q(
        verdict=Verdict.GRADER_ERROR
    )


def _graded_via_session() -> Q:
    return Q(submissions__kind=SubmissionKind.SUBMIT, submissions__status=JobStatus.FINISHED) & ~Q(
        submissions__verdict=Verdict.GRADER_ERROR
    )


@dataclass(frozen=True)
class LabRecord:
    """One learner's record on one lab, as dashboards summarise it."""

    started_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    score: int | None
    graded: int  # fix submissions graded
    last_graded_at: datetime | None


def lab_records(
    *, user_ids: Iterable[int], lab_ids: Iterable[int]
) -> dict[tuple[int, int], LabRecord]:
    """Each learner's session summary on each of these labs, by (user id, lab id) (one query)."""
    rows = (
        LabSession.objects.filter(user_id__in=set(user_ids), lab_id__in=set(lab_ids))
        .values("user_id", "lab_id", "created_at", "updated_at", "solved_at", "score")
        .annotate(
            graded=Count("submissions", filter=_graded_via_session()),
            last_graded=Max("submissions__finished_at", filter=_graded_via_session()),
        )
    )
    return {
        (r["user_id"], r["lab_id"]): LabRecord(
            started_at=r["created_at"],
            updated_at=r["updated_at"],
            solved_at=r["solved_at"],
            score=r["score"],
            graded=r["graded"],
            last_graded_at=r["last_graded"],
        )
        for r in rows
    }


def labs_solved_counts(*, user_ids: Iterable[int]) -> dict[int, int]:
    """How many labs each learner has solved, by user id (one query)."""
    rows = (
        LabSession.objects.filter(user_id__in=set(user_ids), solved_at__isnull=False)
        .values("user_id")
        .annotate(n=Count("pk"))
    )
    return {r["user_id"]: r["n"] for r in rows}


def _per_day(queryset: QuerySet[Any], field: str) -> dict[date, int]:
    rows = queryset.annotate(day=TruncDate(field)).values("day").annotate(n=Count("pk")).order_by()
    return {r["day"]: r["n"] for r in rows}


def lab_activity_by_day(*, user_ids: Iterable[int], since: datetime) -> dict[str, dict[date, int]]:
    """Fix submissions graded and labs solved per day since ``since`` (two queries)."""
    ids = set(user_ids)
    graded = Submission.objects.filter(_graded(), session__user_id__in=ids, finished_at__gte=since)
    solved = LabSession.objects.filter(user_id__in=ids, solved_at__gte=since)
    return {
        "submissions_graded": _per_day(graded, "finished_at"),
        "labs_solved": _per_day(solved, "solved_at"),
    }


@dataclass(frozen=True)
class WeaknessCell:
    """A learner's graded fixes on labs of one class, and how many failed a security check."""

    graded: int
    failed_security: int

    @property
    def share(self) -> float:
        return self.failed_security / self.graded if self.graded else 0.0


def _failed_security() -> Q:
    return Q(checks__kind=CheckKind.SECURITY) & ~Q(checks__outcome=CheckOutcome.PASSED)


def weakness_cells(*, user_ids: Iterable[int]) -> dict[tuple[int, str], WeaknessCell]:
    """By (user id, vulnerability class): graded fixes, and those failing a security check.

    Two queries (all graded fixes; those with a failed security check), each grouped by learner
    and class, so the count does not depend on the team's size.
    """
    base = Submission.objects.filter(_graded(), session__user_id__in=set(user_ids)).exclude(
        session__lab__vulnerability_class=""
    )
    key = ("session__user_id", "session__lab__vulnerability_class")
    totals = base.values(*key).annotate(n=Count("pk", distinct=True)).order_by()
    failed = (
        base.filter(_failed_security())
        .values(*key)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    failed_by = {(r[key[0]], r[key[1]]): r["n"] for r in failed}
    return {
        (r[key[0]], r[key[1]]): WeaknessCell(r["n"], failed_by.get((r[key[0]], r[key[1]]), 0))
        for r in totals
    }


def vulnerability_classes() -> list[tuple[str, str]]:
    """Every vulnerability class as (value, label), in the catalogue's order."""
    return list(VulnerabilityClass.choices)


@dataclass(frozen=True)
class FailedCheck:
    """A security check of one class's labs and how often a group's graded fixes failed it."""

    lab_title: str
    title: str
    failures: int
    learners: int  # distinct learners who failed it at least once


def _failed_checks_rows(user_ids: Iterable[int], vulnerability_class: str) -> QuerySet[Any]:
    return CheckResult.objects.filter(
        kind=CheckKind.SECURITY,
        submission__in=Submission.objects.filter(
            _graded(),
            session__user_id__in=set(user_ids),
            session__lab__vulnerability_class=vulnerability_class,
        ),
    ).exclude(outcome=CheckOutcome.PASSED)


def failed_security_checks(
    *, user_ids: Iterable[int], vulnerability_class: str
) -> list[FailedCheck]:
    """The security checks failed most by these learners on labs of one class (one query)."""
    rows = (
        _failed_checks_rows(user_ids, vulnerability_class)
        .values("submission__session__lab__title", "title")
        .annotate(
            failures=Count("pk"), learners=Count("submission__session__user_id", distinct=True)
        )
        .order_by("-failures", "submission__session__lab__title", "title")
    )
    return [
        FailedCheck(r["submission__session__lab__title"], r["title"], r["failures"], r["learners"])
        for r in rows
    ]


def failed_security_checks_by_learner(
    *, user_ids: Iterable[int], vulnerability_class: str
) -> dict[int, list[FailedCheck]]:
    """The same, for each learner apart, by user id, most failed first (one query)."""
    rows = (
        _failed_checks_rows(user_ids, vulnerability_class)
        .values("submission__session__user_id", "submission__session__lab__title", "title")
        .annotate(failures=Count("pk"))
        .order_by("-failures", "submission__session__lab__title", "title")
    )
    out: dict[int, list[FailedCheck]] = {}
    for r in rows:
        out.setdefault(r["submission__session__user_id"], []).append(
            FailedCheck(r["submission__session__lab__title"], r["title"], r["failures"], 1)
        )
    return out


@dataclass(frozen=True)
class SubmissionRow:
    """A graded fix as a reviewer's list shows it."""

    pk: int
    lab_title: str
    lab_slug: str
    vulnerability_class: str
    verdict: str
    verdict_label: str
    created_at: datetime
    finished_at: datetime | None
    checks_passed: int
    checks_total: int
    security_failed: int


def learner_fix_submissions(*, user_id: int, limit: int = 100) -> list[SubmissionRow]:
    """A learner's fix submissions, newest first, with their check counts (one query)."""
    rows = (
        Submission.objects.filter(session__user_id=user_id, kind=SubmissionKind.SUBMIT)
        .select_related("session__lab")
        .annotate(
            checks_total=Count("checks"),
            checks_passed=Count("checks", filter=Q(checks__outcome=CheckOutcome.PASSED)),
            security_failed=Count(
                "checks",
                filter=Q(checks__kind=CheckKind.SECURITY) & ~Q(checks__outcome=CheckOutcome.PASSED),
            ),
        )
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        SubmissionRow(
            pk=s.pk,
            lab_title=s.session.lab.title,
            lab_slug=s.session.lab.slug,
            vulnerability_class=s.session.lab.get_vulnerability_class_display(),
            verdict=s.verdict,
            verdict_label=s.get_verdict_display() if s.verdict else s.get_status_display(),
            created_at=s.created_at,
            finished_at=s.finished_at,
            checks_passed=s.checks_passed,
            checks_total=s.checks_total,
            security_failed=s.security_failed,
        )
        for s in rows
    ]


def submission_review(*, submission_id: int, user_id: int) -> SubmissionPage | None:
    """A learner's fix submission as its own page shows it (checks, verdict, diffs), for a
    reviewer; None when that learner has no such fix (public test runs are not reviewed)."""
    submission = (
        Submission.objects.filter(
            pk=submission_id, session__user_id=user_id, kind=SubmissionKind.SUBMIT
        )
        .select_related("session__lab", "version")
        .first()
    )
    if submission is None:
        return None
    return submission_page(submission=submission)
