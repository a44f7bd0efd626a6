"""Submissions: snapshot a learner's files and queue them for grading (one in flight per lab)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from labs.models import ExploitAttempt, LabSession, Submission, SubmissionKind
from labs.services.errors import LabError
from labs.services.outbox import send_job
from labs.services.sessions import clean_files, starter_editable
from portal.models import User


class RateLimited(LabError):
    """Too many runs in the last minute; ``retry_after`` is the wait in seconds (1 or more)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        allowed = settings.LAB_SUBMISSIONS_PER_MINUTE
        super().__init__(
            f"You have sent {allowed} run{'s' if allowed != 1 else ''} in the last minute. "
            f"You can run again in {retry_after} second{'s' if retry_after != 1 else ''}: "
            "nothing you typed is lost."
        )


def run_rate_limit(user: User) -> None:
    """Refuse a run (fix, public tests or exploit) past the learner's per-minute allowance,
    saying when the next one is allowed (when the oldest run in the window leaves it).

    Called inside the transaction that inserts the run. It locks the learner's own row first, so
    two requests at once, even on different labs, count each other instead of both passing.
    """
    list(type(user).objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    now = timezone.now()
    since = now - timedelta(minutes=1)
    times = list(
        Submission.objects.filter(session__user=user, created_at__gte=since).values_list(
            "created_at", flat=True
        )
    )
    times += ExploitAttempt.objects.filter(session__user=user, created_at__gte=since).values_list(
        "created_at", flat=True
    )
    allowed = settings.LAB_SUBMISSIONS_PER_MINUTE
    if len(times) >= allowed:
        # The run that must leave the window before another fits in it.
        freeing = sorted(times)[len(times) - allowed]
        wait = (freeing + timedelta(minutes=1) - now).total_seconds()
        raise RateLimited(retry_after=max(1, math.ceil(wait)))


def submission_create(
    *, session: LabSession, files: dict[str, str], kind: str = SubmissionKind.SUBMIT
) -> Submission:
    """Snapshot the learner's files and queue them for grading (one in flight per lab)."""
    cleaned = clean_files(version=session.version, files=files)
    # The files are the learner's draft even when the run is refused below (rate limit, a run
    # in flight): what they typed must never be lost.
    if cleaned:
        LabSession.objects.filter(pk=session.pk).update(
            draft_files={**session.draft_files, **cleaned}, updated_at=timezone.now()
        )
        session.draft_files = {**session.draft_files, **cleaned}
    with transaction.atomic():
        locked = LabSession.objects.select_for_update().get(pk=session.pk)
        if Submission.objects.filter(session=locked).in_flight().exists():
            raise LabError(
                "Your previous run is still being graded. Wait for its result before "
                "sending another."
            )
        run_rate_limit(locked.user)
        locked.draft_files = {**locked.draft_files, **cleaned}
        locked.save(update_fields=["draft_files", "updated_at"])
        submission = Submission.objects.create(
            session=locked,
            version=locked.version,
            kind=kind,
            files={**starter_editable(locked.version), **locked.draft_files},
        )
        transaction.on_commit(lambda: send_job(Submission, submission.pk))
    return submission


def submission_regrade(*, submission: Submission) -> Submission:
    """Staff re-grade: a new submission with the same files, so the history stays as it was."""
    with transaction.atomic():
        copy = Submission.objects.create(
            session=submission.session,
            version=submission.session.lab.published_version or submission.version,
            kind=submission.kind,
            files=submission.files,
        )
        transaction.on_commit(lambda: send_job(Submission, copy.pk))
    return copy
