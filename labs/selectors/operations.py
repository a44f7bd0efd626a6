"""What the staff operations page reads: the grading queue now, the broker and its workers, and
the last hour's gradings (latency percentiles, verdicts, grader errors, retries), as the
database knows them; :mod:`labs.selectors.broker` asks the broker itself.

:func:`operations_overview` runs a fixed number of queries whatever the number of rows, and
computes percentiles in Python over at most the last hour's rows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from labs.models import ExploitAttempt, JobStatus, Submission, SubmissionKind, Verdict
from labs.services.job_log import elapsed_ms, exploit_outcome, last_line

#: The window of the latency, verdict, error and retry figures.
WINDOW = timedelta(hours=1)
#: Workers that finished a job this recently count as alive when the broker cannot be asked.
RECENT_WORKERS = timedelta(minutes=10)
#: Bounds the rows read for percentiles, so a flood cannot make the page itself slow.
ROW_LIMIT = 20_000
#: Grader errors listed (the latest first).
ERROR_LIMIT = 20

#: The columns read per finished job (the percentiles need only these).
SUBMISSION_ROW = (
    "kind",
    "verdict",
    "attempts",
    "worker",
    "created_at",
    "started_at",
    "finished_at",
)
EXPLOIT_ROW = (
    "attempts",
    "flag_found",
    "result__status",
    "created_at",
    "started_at",
    "finished_at",
)

EXPLOIT_OUTCOMES = {
    "flag_found": "Flag found",
    "no_flag": "No flag",
    "invalid_request": "Invalid request",
    "does_not_start": "App did not start",
    "timeout": "Timed out",
    "resource_limit": "Resource limit",
    "grader_error": "Grader error",
}


def duration_text(ms: int | None) -> str:
    """``"480 ms"``, ``"1.3 s"`` or ``"2 min 5 s"``: short enough for a table cell ("" for none)."""
    if ms is None:
        return ""
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def percentile(values: Sequence[int], p: float) -> int | None:
    """The nearest-rank ``p``-th percentile of ``values`` (sorted or not), or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Spread:
    """The median and 95th percentile of one duration, in milliseconds."""

    p50_ms: int | None
    p95_ms: int | None

    @classmethod
    def of(cls, values: Sequence[int]) -> Spread:
        return cls(percentile(values, 50), percentile(values, 95))

    @property
    def p50(self) -> str:
        return duration_text(self.p50_ms)

    @property
    def p95(self) -> str:
        return duration_text(self.p95_ms)


@dataclass(frozen=True)
class KindLatency:
    """The last hour's finished jobs of one kind and how long they took."""

    key: str
    label: str
    finished: int
    wait: Spread  # created -> started: time in the queue
    run: Spread  # started -> finished: time in the worker
    total: Spread  # created -> finished: what the learner waited


@dataclass(frozen=True)
class QueueNow:
    """Jobs not finished yet, submissions and exploits together."""

    queued_submissions: int
    queued_exploits: int
    waiting_for_broker: int  # saved, but the broker has not taken them (it was down)
    waiting_for_retry: int  # handed back after a grader problem, to be claimed again
    running: int
    oldest_queued_at: datetime | None
    now: datetime

    @property
    def queued(self) -> int:
        return self.queued_submissions + self.queued_exploits

    @property
    def oldest_queued_age(self) -> str:
        if self.oldest_queued_at is None:
            return ""
        return duration_text(elapsed_ms(self.now, self.oldest_queued_at))


@dataclass(frozen=True)
class GraderErrorRow:
    job: str  # "Submission" or "Exploit"
    pk: int
    finished_at: datetime
    lab: str
    kind: str
    attempts: int
    worker: str
    reason: str
    admin_url_name: str  # reversed by the view when the viewer may open it


@dataclass(frozen=True)
class VerdictCount:
    label: str
    fixes: int
    public_tests: int


@dataclass(frozen=True)
class WorkerSeen:
    node: str
    jobs: int
    last_finished_at: datetime


@dataclass(frozen=True)
class LastFinished:
    worker: str
    finished_at: datetime
    seconds_ago: int

    @property
    def ago(self) -> str:
        """``"42 s"`` under two minutes (what an operator watches), a longer span after."""
        if self.seconds_ago < 120:
            return f"{self.seconds_ago} s"
        return duration_text(self.seconds_ago * 1000)


@dataclass(frozen=True)
class OperationsOverview:
    """Everything the page shows that the database knows."""

    now: datetime
    queue: QueueNow
    latencies: list[KindLatency]
    finished: int
    verdicts: list[VerdictCount]
    exploit_outcomes: list[tuple[str, int]]
    errors: list[GraderErrorRow]
    error_count: int  # in the window; ``errors`` lists at most ERROR_LIMIT of them
    retried: int  # finished in the window after more than one attempt
    recent_workers: list[WorkerSeen]
    last_finished: LastFinished | None
    truncated: bool  # more rows than ROW_LIMIT in the window: figures cover the latest ones


def _queue_counts(model: type[Submission] | type[ExploitAttempt]) -> dict[str, Any]:
    queued = Q(status=JobStatus.QUEUED)
    return model.objects.in_flight().aggregate(
        queued=Count("pk", filter=queued),
        waiting_for_broker=Count("pk", filter=queued & Q(sent_at__isnull=True, attempts=0)),
        waiting_for_retry=Count("pk", filter=queued & Q(attempts__gt=0)),
        running=Count("pk", filter=Q(status=JobStatus.RUNNING)),
        oldest=Min("created_at", filter=queued),
    )


def _latency(key: str, label: str, rows: Sequence[Any]) -> KindLatency:
    """The spreads of finished rows (each with ``created_at``, ``started_at``, ``finished_at``)."""
    wait = [elapsed_ms(r.started_at, r.created_at) for r in rows]
    run = [elapsed_ms(r.finished_at, r.started_at) for r in rows]
    total = [elapsed_ms(r.finished_at, r.created_at) for r in rows]
    return KindLatency(
        key,
        label,
        len(rows),
        *(Spread.of([ms for ms in values if ms is not None]) for values in (wait, run, total)),
    )


def _reason(text: str) -> str:
    return last_line(text) or "(no detail recorded)"


def operations_overview(*, now: datetime | None = None) -> OperationsOverview:
    """The queue now and the last hour's gradings, in a fixed number of queries (seven)."""
    now = now or timezone.now()
    since = now - WINDOW

    subs_queue = _queue_counts(Submission)
    exploits_queue = _queue_counts(ExploitAttempt)
    oldest = [d for d in (subs_queue["oldest"], exploits_queue["oldest"]) if d is not None]
    queue = QueueNow(
        queued_submissions=subs_queue["queued"],
        queued_exploits=exploits_queue["queued"],
        waiting_for_broker=subs_queue["waiting_for_broker"] + exploits_queue["waiting_for_broker"],
        waiting_for_retry=subs_queue["waiting_for_retry"] + exploits_queue["waiting_for_retry"],
        running=subs_queue["running"] + exploits_queue["running"],
        oldest_queued_at=min(oldest) if oldest else None,
        now=now,
    )

    finished_since = Q(status=JobStatus.FINISHED, finished_at__gte=since)
    subs = list(
        Submission.objects.filter(finished_since)
        .order_by("-finished_at")
        .values_list(*SUBMISSION_ROW, named=True)[: ROW_LIMIT + 1]
    )
    exploits = list(
        ExploitAttempt.objects.filter(finished_since)
        .order_by("-finished_at")
        .values_list(*EXPLOIT_ROW, named=True)[: ROW_LIMIT + 1]
    )
    truncated = len(subs) > ROW_LIMIT or len(exploits) > ROW_LIMIT
    subs, exploits = subs[:ROW_LIMIT], exploits[:ROW_LIMIT]
    fixes = [r for r in subs if r.kind == SubmissionKind.SUBMIT]
    public = [r for r in subs if r.kind == SubmissionKind.PUBLIC_TESTS]
    latencies = [
        _latency(SubmissionKind.SUBMIT, "Fix submissions", fixes),
        _latency(SubmissionKind.PUBLIC_TESTS, "Public tests", public),
        _latency("exploit", "Exploits", exploits),
    ]

    fix_verdicts = Counter(r.verdict for r in fixes)
    public_verdicts = Counter(r.verdict for r in public)
    verdicts = [
        VerdictCount(label, fix_verdicts[value], public_verdicts[value])
        for value, label in Verdict.choices
        if fix_verdicts[value] or public_verdicts[value]
    ]
    outcomes = Counter(
        exploit_outcome(
            status=r.result__status if isinstance(r.result__status, str) else "",
            flag_found=r.flag_found,
        )
        for r in exploits
    )
    exploit_outcomes = [
        (EXPLOIT_OUTCOMES.get(key, key.replace("_", " ").capitalize()), n)
        for key, n in sorted(outcomes.items(), key=lambda item: (-item[1], item[0]))
    ]

    errors = _grader_errors(since)
    error_count = fix_verdicts[Verdict.GRADER_ERROR] + public_verdicts[Verdict.GRADER_ERROR]
    error_count += outcomes["grader_error"]
    retried = sum(1 for r in [*subs, *exploits] if r.attempts > 1)

    recent: dict[str, list[datetime]] = {}
    for r in subs:
        if r.worker and r.finished_at >= now - RECENT_WORKERS:
            recent.setdefault(r.worker, []).append(r.finished_at)
    recent_workers = sorted(
        (WorkerSeen(node, len(times), max(times)) for node, times in recent.items()),
        key=lambda seen: seen.last_finished_at,
        reverse=True,
    )

    last = (
        Submission.objects.filter(status=JobStatus.FINISHED, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("worker", "finished_at")
        .first()
    )
    last_finished = None
    if last is not None:
        seconds = max(0, int((now - last[1]).total_seconds()))
        last_finished = LastFinished(last[0], last[1], seconds)

    return OperationsOverview(
        now=now,
        queue=queue,
        latencies=latencies,
        finished=len(subs) + len(exploits),
        verdicts=verdicts,
        exploit_outcomes=exploit_outcomes,
        errors=errors,
        error_count=error_count,
        retried=retried,
        recent_workers=recent_workers,
        last_finished=last_finished,
        truncated=truncated,
    )


def _grader_errors(since: datetime) -> list[GraderErrorRow]:
    """The latest grader errors of the window, submissions and exploits merged (two queries)."""
    subs = (
        Submission.objects.filter(verdict=Verdict.GRADER_ERROR, finished_at__gte=since)
        .order_by("-finished_at")
        .values_list(
            "pk", "finished_at", "kind", "attempts", "worker", "grader_log", "session__lab__title"
        )[:ERROR_LIMIT]
    )
    exploits = (
        ExploitAttempt.objects.filter(result__status="grader_error", finished_at__gte=since)
        .order_by("-finished_at")
        .values_list(
            "pk", "finished_at", "mode", "attempts", "result__detail", "session__lab__title"
        )[:ERROR_LIMIT]
    )
    kinds = {SubmissionKind.SUBMIT: "Fix", SubmissionKind.PUBLIC_TESTS: "Public tests"}
    rows = [
        GraderErrorRow(
            job="Submission",
            pk=pk,
            finished_at=done,
            lab=lab,
            kind=kinds.get(kind, kind),
            attempts=attempts,
            worker=worker,
            reason=_reason(log),
            admin_url_name="admin:labs_submission_change",
        )
        for pk, done, kind, attempts, worker, log, lab in subs
    ] + [
        GraderErrorRow(
            job="Exploit",
            pk=pk,
            finished_at=done,
            lab=lab,
            kind=f"Exploit ({mode})",
            attempts=attempts,
            worker="",
            reason=_reason(detail if isinstance(detail, str) else ""),
            admin_url_name="admin:labs_exploitattempt_change",
        )
        for pk, done, mode, attempts, detail, lab in exploits
    ]
    rows.sort(key=lambda row: row.finished_at, reverse=True)
    return rows[:ERROR_LIMIT]
