"""A broker that is down when a learner submits: the fix is saved, the learner is told it waits,
and beat's sweep hands it to the broker once it is back. Nothing is lost, nothing sent twice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from labs.models import JobStatus, Lab, Submission
from labs.services import requeue_stale

pytestmark = pytest.mark.django_db(transaction=True)


class Broker:
    """Stands in for the broker: down (raises as kombu does) or up (records what it took)."""

    def __init__(self) -> None:
        self.up = False
        self.took: list[int] = []

    def delay(self, pk: int) -> None:
        if not self.up:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.took.append(pk)


@pytest.fixture
def broker(monkeypatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr("labs.tasks.grade_submission.delay", fake.delay)
    return fake


def _submit(client: Client, lab: Lab):
    return client.post(
        reverse("labs:workspace-update", args=[lab.slug]),
        {"action": "submit"},
        headers={"accept": "application/json"},
    )


def test_a_fix_sent_while_the_broker_is_down_is_saved_and_said_to_wait(
    broker: Broker, alice_client: Client, flask_lab: Lab
) -> None:
    response = _submit(alice_client, flask_lab)
    assert response.status_code == 202  # accepted: saved and queued, as when the broker is up
    run_url = json.loads(response.content)["run_url"]
    submission = Submission.objects.get()
    assert submission.status == JobStatus.QUEUED and submission.sent_at is None
    page = alice_client.get(run_url, headers={"HX-Request": "true"}).content.decode()
    assert "Queued" in page  # at first: the message may be on its way
    Submission.objects.update(created_at=timezone.now() - timedelta(seconds=3))
    page = alice_client.get(run_url, headers={"HX-Request": "true"}).content.decode()
    assert "the grading service cannot be reached right now" in page
    assert "will be graded as soon as it is back" in page


def test_the_sweep_sends_it_once_the_broker_is_back_and_only_once(
    broker: Broker, alice_client: Client, flask_lab: Lab, settings
) -> None:
    settings.GRADING_OUTBOX_GRACE_SECONDS = 5
    _submit(alice_client, flask_lab)
    submission = Submission.objects.get()
    assert requeue_stale() == []  # too fresh: the web's own send may still be on its way
    Submission.objects.update(created_at=timezone.now() - timedelta(seconds=10))
    assert requeue_stale() == [] and broker.took == []  # still down: kept for the next sweep
    broker.up = True
    assert requeue_stale() == [submission.pk]
    assert broker.took == [submission.pk]
    submission.refresh_from_db()
    assert submission.sent_at is not None
    requeue_stale()
    assert broker.took == [submission.pk]  # sent: the outbox no longer holds it


def test_a_fix_sent_while_the_broker_is_up_leaves_the_outbox_empty(
    broker: Broker, alice_client: Client, flask_lab: Lab
) -> None:
    broker.up = True
    _submit(alice_client, flask_lab)
    submission = Submission.objects.get()
    assert broker.took == [submission.pk] and submission.sent_at is not None
    Submission.objects.update(created_at=timezone.now() - timedelta(seconds=60))
    requeue_stale()
    assert broker.took == [submission.pk]
