"""Submissions: snapshot a learner's files and queue them for grading (one in flight per lab)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from labs.models import ExploitAttempt, LabSession, Submission, SubmissionKind
from labs.services.errors import LabError
from labs.services.sessions import clean_files, starter_editable
from labs.tasks import grade_submission
from portal.models import User


def run_rate_limit(user: User) -> None:
    """Refuse a run (fix, public tests or exploit) past the learner's per-minute allowance."""
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
    cleaned = clean_files(version=session.version, files=files)
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
        transaction.on_commit(lambda: grade_submission.delay(submission.pk))
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
        transaction.on_commit(lambda: grade_submission.delay(copy.pk))
    return copy
