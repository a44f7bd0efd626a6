"""One structured log line per grading job a worker finishes (or hands back for a retry).

The lines go to the ``patchwise.grading`` logger, which settings write as JSON lines to stderr,
so an operator can follow timings and verdicts with ``jq`` or a log shipper without the
database. A log line must never cost a learner their verdict: any failure here is logged and
swallowed.
"""

from __future__ import annotations

import functools
import logging
import socket
from collections.abc import Callable
from datetime import datetime
from typing import Any, ParamSpec, Protocol

from django.db.models import Count, Q

from labs.models import CheckOutcome, ExploitAttempt, JobStatus, Submission

#: The logger settings route to the JSON-lines handler.
grading_log = logging.getLogger("patchwise.grading")
logger = logging.getLogger(__name__)

P = ParamSpec("P")

#: What every line reads of its job's row, submission or exploit.
_ROW = ("status", "attempts", "created_at", "started_at", "finished_at", "session__lab__slug")
#: ``result["status"]`` values of an exploit that ran to its end; anything else names a failure.
_EXPLOIT_COMPLETED = {"completed", ""}


class _Outcome(Protocol):
    state: Any


def exploit_outcome(*, status: str | None, flag_found: bool) -> str:
    """What an exploit run came to, in one word: ``flag_found``, ``no_flag``, or the status
    that stopped it (``grader_error``, ``invalid_request``, ``timeout``, ...)."""
    status = status or ""
    if status not in _EXPLOIT_COMPLETED:
        return status
    return "flag_found" if flag_found else "no_flag"


def elapsed_ms(later: datetime | None, earlier: datetime | None) -> int | None:
    """Milliseconds from ``earlier`` to ``later`` (never negative), None if either is missing."""
    if later is None or earlier is None:
        return None
    return max(0, round((later - earlier).total_seconds() * 1000))


def last_line(text: str, limit: int = 300) -> str:
    """The last non-empty line of a log (where an exception's message is), trimmed."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:limit] if lines else ""


def _node_name() -> str:
    """The Celery node running this task (``worker1@host``), else the host name."""
    from celery import current_task

    request = getattr(current_task, "request", None)
    return getattr(request, "hostname", None) or socket.gethostname()


def _submission_fields(pk: int) -> dict[str, Any] | None:
    row = (
        Submission.objects.filter(pk=pk)
        .annotate(
            n_checks=Count("checks"),
            n_failed=Count("checks", filter=~Q(checks__outcome=CheckOutcome.PASSED)),
        )
        .values(
            *_ROW, "kind", "verdict", "worker", "duration_ms", "grader_log", "n_checks", "n_failed"
        )
        .first()
    )
    if row is None:
        return None
    fields = {
        "job": "submission",
        "id": pk,
        "lab": row["session__lab__slug"],
        "kind": row["kind"],
        "verdict": row["verdict"],
        "attempt": row["attempts"],
        "worker": row["worker"],
        "checks": row["n_checks"],
        "failed": row["n_failed"],
        "sandbox_ms": row["duration_ms"],
        "_reason": row["grader_log"],
    }
    return _with_timings(fields, row)


def _exploit_fields(pk: int) -> dict[str, Any] | None:
    row = (
        ExploitAttempt.objects.filter(pk=pk)
        .values(*_ROW, "mode", "target", "flag_found", "result__status", "result__detail")
        .first()
    )
    if row is None:
        return None
    status = row["result__status"] if isinstance(row["result__status"], str) else ""
    detail = row["result__detail"] if isinstance(row["result__detail"], str) else ""
    fields = {
        "job": "exploit",
        "id": pk,
        "lab": row["session__lab__slug"],
        "kind": row["mode"],
        "target": row["target"],
        "verdict": exploit_outcome(status=status, flag_found=row["flag_found"]),
        "flag_found": row["flag_found"],
        "attempt": row["attempts"],
        "worker": _node_name(),
        "_reason": detail,
    }
    return _with_timings(fields, row)


def _with_timings(fields: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    fields["status"] = row["status"]
    fields["queued_ms"] = elapsed_ms(row["started_at"], row["created_at"])
    fields["run_ms"] = elapsed_ms(row["finished_at"], row["started_at"])
    fields["total_ms"] = elapsed_ms(row["finished_at"], row["created_at"])
    return fields


def log_job(*, job: str, pk: int, state: str) -> None:
    """Write the line of a job a run has just left: ``<job>.finished`` when the row is finished,
    ``<job>.retry`` when it went back to the queue after a grader problem (with its reason)."""
    fields = _submission_fields(pk) if job == "submission" else _exploit_fields(pk)
    if fields is None:
        return
    reason = last_line(fields.pop("_reason"))
    status = fields.pop("status")
    prefix = "grading" if job == "submission" else "exploit"
    if state == "retry" and status == JobStatus.QUEUED:
        fields = {"event": f"{prefix}.retry", **fields, "reason": reason}
        level = logging.WARNING
    elif state == "graded" and status == JobStatus.FINISHED:
        fields = {"event": f"{prefix}.finished", **fields}
        level = logging.WARNING if fields["verdict"] == "grader_error" else logging.INFO
        if fields["verdict"] == "grader_error":
            fields["reason"] = reason
    else:
        return  # superseded by another run: that run writes the line
    grading_log.log(
        level, "%s %s %s %s", fields["event"], job, pk, fields["verdict"], extra={"fields": fields}
    )


def logs_job(job: str, id_arg: str) -> Callable[[Callable[P, _Outcome]], Callable[P, _Outcome]]:
    """Decorate a worker entry point (keyword ``id_arg`` names the row) to log what it left."""

    def decorate(run: Callable[P, _Outcome]) -> Callable[P, _Outcome]:
        @functools.wraps(run)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> _Outcome:
            outcome = run(*args, **kwargs)
            state = str(outcome.state)
            if state != "skipped":  # another run holds the job, or it was done already
                try:
                    log_job(job=job, pk=int(kwargs[id_arg]), state=state)  # type: ignore[call-overload]
                except Exception:
                    logger.exception("could not log %s %s", job, kwargs.get(id_arg))
            return outcome

        return wrapper

    return decorate
