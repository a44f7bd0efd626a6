"""Celery tasks: thin, idempotent, late-acknowledged. Each loads by id and calls a service.

A task imports its service inside its body (services import the tasks they queue at the top of
their modules), so the dependency runs one way. Running a task twice is harmless: the service
claims its row with a conditional update and does nothing when another run has it.
"""

from __future__ import annotations

from celery import Task, shared_task

#: Validation grades several workspaces in a row (starter, solution, public tests, bad fixes).
VALIDATION_SOFT_TIME_LIMIT = 15 * 60


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def grade_submission(self: Task, submission_id: int) -> str:
    # Retries are bounded by the service: after GRADING_MAX_ATTEMPTS it stores a grader error.
    from labs.services import JobState, submission_grade

    outcome = submission_grade(submission_id=submission_id, worker=self.request.hostname or "")
    if outcome.state == JobState.RETRY:
        raise self.retry(countdown=2)
    return str(outcome.state)


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=None
)
def run_exploit_attempt(self: Task, attempt_id: int) -> str:
    from labs.services import JobState, exploit_attempt_run

    outcome = exploit_attempt_run(attempt_id=attempt_id)
    if outcome.state == JobState.RETRY:
        raise self.retry(countdown=2)
    return str(outcome.state)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=VALIDATION_SOFT_TIME_LIMIT,
    time_limit=VALIDATION_SOFT_TIME_LIMIT + 60,
)
def validate_lab_version(version_id: int) -> str:
    from labs.services import JobState, lab_version_validation_run

    version = lab_version_validation_run(version_id=version_id)
    return str(JobState.SKIPPED if version is None else version.validation_status)


@shared_task(ignore_result=True)
def requeue_stale() -> int:
    from labs.services import requeue_stale

    return len(requeue_stale())
