"""Celery tasks: thin, idempotent, late-acknowledged. Each loads by id and calls a service."""

from __future__ import annotations

from celery import shared_task

from labs import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def grade_submission(submission_id: int) -> str:
    outcome = services.submission_grade(submission_id=submission_id)
    if outcome.state == "retry":
        grade_submission.apply_async((submission_id,), countdown=2)
    return outcome.state


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_exploit_attempt(attempt_id: int) -> str:
    outcome = services.exploit_attempt_run(attempt_id=attempt_id)
    if outcome.state == "retry":
        run_exploit_attempt.apply_async((attempt_id,), countdown=2)
    return outcome.state


@shared_task(ignore_result=True)
def requeue_stale() -> int:
    return len(services.requeue_stale())
