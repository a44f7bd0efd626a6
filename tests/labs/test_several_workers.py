"""Several workers on one database and one broker, as a deployment on several machines runs them:
a burst of fixes is shared between two workers with their own node names and each is graded
exactly once. On the broker the suite is configured with, and on RabbitMQ."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections import Counter

import pytest

from labs.models import Submission, Verdict
from labs.services import lab_session_start, submission_create
from tests.factories import UserFactory
from tests.worker import ROOT

pytestmark = [pytest.mark.worker, pytest.mark.sandbox, pytest.mark.django_db(transaction=True)]

RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"
BURST = 10


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _purge(broker: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"],
        cwd=ROOT,
        env={**__import__("os").environ, "DEBUG": "1", "CELERY_BROKER_URL": broker},
        capture_output=True,
        timeout=60,
    )


def _burst(flask_lab, queue) -> list[int]:
    """BURST learners each send the reference fix at once; ``queue(pk)`` sends the job."""
    ids = []
    for n in range(BURST):
        session = lab_session_start(user=UserFactory(email=f"burst{n}@example.com"), lab=flask_lab)
        files = {
            path: text
            for path, text in session.version.solution_files.items()
            if path in session.version.editable
        }
        ids.append(submission_create(session=session, files=files).pk)
        queue(ids[-1])
    return ids


@pytest.mark.parametrize("broker", ["configured", "rabbitmq"])
def test_two_workers_share_a_burst_and_grade_each_fix_once(
    broker, start_worker, flask_lab, monkeypatch
) -> None:
    from labs.tasks import grade_submission

    env: dict[str, str] = {}
    queue = grade_submission.delay
    if broker == "rabbitmq":
        if not _answers("127.0.0.1", 5672):
            pytest.skip("RabbitMQ is not running on 127.0.0.1:5672 (CI starts it).")
        from kombu import Connection

        env["CELERY_BROKER_URL"] = RABBITMQ
        _purge(RABBITMQ)
        connection = Connection(RABBITMQ)
        producer = grade_submission.app.amqp.Producer(connection)

        def queue(pk: int) -> None:
            grade_submission.apply_async((pk,), producer=producer)

    monkeypatch.setattr(grade_submission, "delay", lambda pk: None)  # queued below, by hand
    start_worker(node="alpha@%h", **env)
    start_worker(node="beta@%h", **env)
    ids = _burst(flask_lab, queue)

    deadline = time.monotonic() + 180
    while Submission.objects.filter(pk__in=ids, finished_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the burst was not graded in time"
        time.sleep(0.1)
    graded = list(Submission.objects.filter(pk__in=ids))
    assert {s.verdict for s in graded} == {Verdict.PASSED}, [s.grader_log for s in graded]
    assert all(s.attempts == 1 for s in graded)  # each claimed once: never graded twice
    nodes = Counter(s.worker.split("@")[0] for s in graded)
    assert set(nodes) == {"alpha", "beta"}, nodes  # both took a share
