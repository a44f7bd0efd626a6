"""Handing saved jobs to the broker, and the outbox that survives a broker being down.

A submission or exploit attempt is saved first; its message goes to the broker after commit.
When the broker cannot take it (Redis restarting, the network down), the row stays ``queued``
with ``sent_at`` empty: the learner is told it waits, nothing is lost, and beat's sweep
(:func:`labs.services.grading.requeue_stale`) sends it again once the broker answers.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from kombu.exceptions import KombuError

from labs.models import ExploitAttempt, GradingJob, JobStatus, Submission
from labs.tasks import grade_submission, run_exploit_attempt

logger = logging.getLogger(__name__)

#: What a broker that is down raises: kombu's errors, and the socket's own.
BROKER_DOWN = (KombuError, OSError)


def send_job(model: type[GradingJob], pk: int) -> bool:
    """Queue the job's task; True once the broker took it (and ``sent_at`` is set)."""
    task: Any = grade_submission if model is Submission else run_exploit_attempt
    try:
        task.delay(pk)
    except BROKER_DOWN as exc:
        logger.warning(
            "broker unavailable: %s %s stays in the outbox (%s)", model.__name__, pk, exc
        )
        return False
    model.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def send_outbox() -> list[int]:
    """Send again every queued job the broker never took (beat calls this through the sweep)."""
    since = timezone.now() - timedelta(seconds=settings.GRADING_OUTBOX_GRACE_SECONDS)
    sent: list[int] = []
    for model in (Submission, ExploitAttempt):
        waiting = model.objects.filter(
            status=JobStatus.QUEUED, sent_at__isnull=True, created_at__lt=since
        ).values_list("pk", flat=True)
        for pk in list(waiting):
            if not send_job(model, pk):
                return sent  # still down: the next sweep tries again
            sent.append(pk)
    return sent
