"""The queue for real: a Celery worker process, the configured broker and database, the sandbox.

Runs on the embedded default (filesystem broker, SQLite file) or on Redis and PostgreSQL when
REDIS_URL / DATABASE_URL are set, which is how CI runs it the second time.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from labs.models import JobStatus, LabSession, LabVersion, Submission, ValidationStatus, Verdict
from labs.services import lab_version_store, read_folder, requeue_stale
from tests.factories import LABS, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.sandbox, pytest.mark.django_db(transaction=True)]


def _wait(predicate, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def test_a_submission_is_graded_by_the_worker(start_worker, alice_client, flask_lab) -> None:
    start_worker()
    started = time.monotonic()
    alice_client.post(reverse("labs:workspace-update", args=[flask_lab.slug]), {"action": "submit"})
    submission = Submission.objects.get()
    _wait(lambda: Submission.objects.get(pk=submission.pk).is_finished)
    submission.refresh_from_db()
    assert submission.verdict == Verdict.STILL_EXPLOITABLE, submission.grader_log
    assert submission.checks.count() == len(flask_lab.published_version.checks)
    assert submission.worker
    assert time.monotonic() - started < 30


def test_a_worker_killed_mid_grading_leaves_it_graded_exactly_once(
    start_worker, alice, alice_client, flask_lab
) -> None:
    first = start_worker(GRADING_DEADLINE_SECONDS="10")
    slow_start = "\nimport time\n\ntime.sleep(3)\n"
    session = LabSession.objects.create(
        user=alice, lab=flask_lab, version=flask_lab.published_version, draft_files={}
    )
    path = "settings.py"
    assert path in session.version.editable
    text = session.version.starter_files[path]
    alice_client.post(
        reverse("labs:workspace-update", args=[flask_lab.slug]),
        {"action": "submit", f"file:{path}": text + slow_start},
    )
    submission = Submission.objects.get()
    _wait(lambda: Submission.objects.get(pk=submission.pk).status == JobStatus.RUNNING)
    first.kill()  # the whole worker, mid-grading
    submission.refresh_from_db()
    assert submission.status == JobStatus.RUNNING and submission.attempts == 1

    start_worker(GRADING_DEADLINE_SECONDS="10")
    _wait(lambda: Submission.objects.get(pk=submission.pk).deadline_at < timezone.now(), 30)
    requeue_stale()  # what the periodic sweeper does
    requeue_stale()  # twice, as a sweeper racing with itself might
    _wait(lambda: Submission.objects.get(pk=submission.pk).is_finished, 90)
    submission.refresh_from_db()
    assert submission.verdict == Verdict.STILL_EXPLOITABLE
    assert submission.attempts == 2
    assert submission.checks.count() == len(flask_lab.published_version.checks)


def test_a_version_queued_in_the_admin_is_validated_by_the_worker(start_worker) -> None:
    start_worker()
    staff = UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    version, _ = lab_version_store(bundle=read_folder(LABS / "flask-debug-console"))
    client = Client()
    client.force_login(staff)

    started = time.monotonic()
    response = client.post(
        reverse("admin:labs_labversion_changelist"),
        {"action": "validate", "_selected_action": [version.pk]},
    )

    assert response.status_code == 302
    assert time.monotonic() - started < 5  # queued, not run, in the request
    _wait(lambda: not LabVersion.objects.get(pk=version.pk).is_validating, 180)
    version.refresh_from_db()
    assert version.validation_status == ValidationStatus.VALID, version.validation_report
