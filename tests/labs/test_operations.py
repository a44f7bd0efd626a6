"""The staff operations page (queue, workers, the last hour's latencies, verdicts, grader errors,
retries) and the JSON line each finished grading writes.

The people: alice (a learner) and charlie (an outsider) get a 404, erin (an author, staff) and
olga (an operator, superuser) see the page, an anonymous visitor is sent to sign in. The broker
is asked for real: the filesystem folder, Redis and RabbitMQ on this machine, and a broker that
is down."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from labs.models import (
    CheckResult,
    ExploitAttempt,
    JobStatus,
    Lab,
    LabSession,
    Submission,
    SubmissionKind,
    Verdict,
)
from labs.selectors.broker import broker_status
from labs.selectors.operations import operations_overview, percentile
from labs.services import JobState, exploit_attempt_run, submission_grade
from labs.services.job_log import log_job
from portal.lib.jsonlog import JsonLinesFormatter
from portal.models import User
from tests.factories import UserFactory, make_graded_fix, make_lab
from tests.worker import ROOT

pytestmark = pytest.mark.django_db

URL = "/labs/operations/"
REDIS = "redis://127.0.0.1:6379/13"  # a database of its own: no other worker hears the ping
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def olga(db) -> User:
    """An operator: staff and superuser."""
    return UserFactory(email="olga@example.com", display_name="Olga", is_staff=True,
                       is_superuser=True)  # fmt: skip


@pytest.fixture
def lab(db) -> Lab:
    """A lab whose version has no bundle archive: a worker fails to build its workspace."""
    return make_lab("ops-lab", title="Ops lab")


@pytest.fixture
def session(alice: User, lab: Lab) -> LabSession:
    return LabSession.objects.create(user=alice, lab=lab, version=lab.published_version)


def _job(session: LabSession, *, ago: float, wait: float, run: float, **fields) -> Submission:
    """A submission created ``ago`` seconds ago that waited ``wait`` s and ran ``run`` s."""
    created = timezone.now() - timedelta(seconds=ago)
    started = created + timedelta(seconds=wait)
    defaults = {"status": JobStatus.FINISHED, "verdict": Verdict.PASSED, "attempts": 1,
                "worker": "w1@host", "finished_at": started + timedelta(seconds=run)}  # fmt: skip
    return Submission.objects.create(
        session=session, version=session.version, files={}, created_at=created, started_at=started,
        **{**defaults, **fields},
    )  # fmt: skip


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Who may see the page ---------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in() -> None:
    response = _client(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("person", ["alice", "charlie"])
def test_learners_and_outsiders_get_a_404(person: str, request: pytest.FixtureRequest) -> None:
    assert _client(request.getfixturevalue(person)).get(URL).status_code == 404


@pytest.mark.parametrize("person", ["author", "olga"])
def test_staff_see_the_operations_page(person: str, request: pytest.FixtureRequest) -> None:
    response = _client(request.getfixturevalue(person)).get(URL)
    assert response.status_code == 200
    assert "Queue now" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_the_page_refuses_a_post(olga: User) -> None:
    assert _client(olga).post(URL).status_code == 405


# --- What the page says ---------------------------------------------------------------------


def test_latency_percentiles_of_the_last_hour_per_kind(olga: User, session: LabSession) -> None:
    for i in range(1, 21):  # waits 0.1 .. 2.0 s, runs 1.01 .. 1.2 s
        _job(session, ago=600 + i, wait=i / 10, run=1 + i / 100)
    _job(session, ago=60, wait=0.05, run=0.3, kind=SubmissionKind.PUBLIC_TESTS)
    _job(session, ago=7200, wait=99, run=99)  # finished two hours ago: not counted

    fixes, public, exploits = operations_overview().latencies

    assert (fixes.finished, public.finished, exploits.finished) == (20, 1, 0)
    assert (fixes.wait.p50_ms, fixes.wait.p95_ms) == (1000, 1900)  # nearest rank: 10th, 19th
    assert (fixes.run.p50_ms, fixes.run.p95_ms) == (1100, 1190)
    assert (fixes.total.p50_ms, fixes.total.p95_ms) == (2100, 3090)
    assert (public.wait.p50_ms, public.total.p95_ms) == (50, 350)
    assert exploits.wait.p50_ms is None
    page = _client(olga).get(URL).content.decode()
    assert "1.0 s" in page and "1.9 s" in page and "350 ms" in page


def test_queue_now_counts_queued_waiting_running_and_the_oldest(
    olga: User, session: LabSession
) -> None:
    now = timezone.now()
    common = {"session": session, "version": session.version, "files": {}}
    Submission.objects.create(**common, created_at=now - timedelta(minutes=5))  # in the outbox
    Submission.objects.create(**common, sent_at=now, created_at=now - timedelta(seconds=30))
    Submission.objects.create(**common, status=JobStatus.QUEUED, attempts=1, sent_at=now,
                              grader_log="disk full")  # fmt: skip
    Submission.objects.create(**common, status=JobStatus.RUNNING, attempts=1, started_at=now)
    ExploitAttempt.objects.create(session=session, version=session.version, mode="request")

    queue = operations_overview(now=now).queue

    assert (queue.queued_submissions, queue.queued_exploits, queue.queued) == (3, 1, 4)
    assert (queue.waiting_for_broker, queue.waiting_for_retry, queue.running) == (2, 1, 1)
    assert queue.oldest_queued_age == "5 min 0 s"
    page = _client(olga).get(URL).content.decode()
    assert "Waiting for the broker" in page and "5 min" in page


def test_verdicts_retries_and_workers_seen_recently(olga: User, session: LabSession) -> None:
    _job(session, ago=100, wait=1, run=1, verdict=Verdict.BROKEN, worker="w2@host")
    _job(session, ago=100, wait=1, run=1, verdict=Verdict.BROKEN, attempts=2)
    _job(session, ago=100, wait=1, run=1, kind=SubmissionKind.PUBLIC_TESTS, worker="w2@host")
    _job(session, ago=1800, wait=1, run=1, worker="old@host")  # over 10 minutes ago

    overview = operations_overview()

    assert [(v.label, v.fixes, v.public_tests) for v in overview.verdicts] == [
        ("Passed", 1, 1),
        ("Broken", 2, 0),
    ]
    assert overview.retried == 1
    assert [(w.node, w.jobs) for w in overview.recent_workers] == [("w2@host", 2), ("w1@host", 1)]
    assert overview.last_finished.worker in ("w1@host", "w2@host")
    assert 95 <= overview.last_finished.seconds_ago <= 110
    page = _client(olga).get(URL).content.decode()
    assert "Last grading finished" in page and "s ago" in page
    assert "old@host" not in page.split("Finished a grading in the last 10 minutes")[1]


def test_grader_errors_show_their_reason_and_link_to_the_admin(
    olga: User, author: User, session: LabSession
) -> None:
    log = "Traceback ...\nOSError: [Errno 28] No space left on device"
    error = _job(session, ago=300, wait=1, run=1, verdict=Verdict.GRADER_ERROR, attempts=3,
                 grader_log=log)  # fmt: skip
    ExploitAttempt.objects.create(
        session=session, version=session.version, mode="script", status=JobStatus.FINISHED,
        attempts=3, started_at=timezone.now(), finished_at=timezone.now(),
        result={"status": "grader_error", "detail": "bwrap: setting up uid map: Permission denied"},
    )  # fmt: skip

    overview = operations_overview()

    assert overview.error_count == 2
    assert [e.reason for e in overview.errors] == [
        "bwrap: setting up uid map: Permission denied",
        "OSError: [Errno 28] No space left on device",
    ]
    page = _client(olga).get(URL).content.decode()
    assert "No space left on device" in page
    assert reverse("admin:labs_submission_change", args=[error.pk]) in page
    assert ("Exploit outcomes" in page) and ("Grader error" in page)
    # An author views submissions in the admin too, so the link is theirs as well.
    assert reverse("admin:labs_submission_change", args=[error.pk]) in (
        _client(author).get(URL).content.decode()
    )


def test_staff_without_the_admin_permission_get_no_dead_link(session: LabSession) -> None:
    error = _job(session, ago=60, wait=1, run=1, verdict=Verdict.GRADER_ERROR, grader_log="boom")
    plain_staff = UserFactory(email="pat@example.com", is_staff=True)
    page = _client(plain_staff).get(URL).content.decode()
    assert "boom" in page
    assert reverse("admin:labs_submission_change", args=[error.pk]) not in page


def test_the_overview_takes_the_same_queries_whatever_the_rows(
    session: LabSession, django_assert_num_queries
) -> None:
    _job(session, ago=60, wait=1, run=1)
    with django_assert_num_queries(7):
        operations_overview()
    for i in range(40):
        verdict = Verdict.GRADER_ERROR if i % 4 == 0 else Verdict.PASSED
        _job(session, ago=60 + i, wait=1, run=1, verdict=verdict, attempts=1 + i % 2,
             kind=SubmissionKind.PUBLIC_TESTS if i % 3 else SubmissionKind.SUBMIT)  # fmt: skip
        ExploitAttempt.objects.create(
            session=session, version=session.version, mode="request", status=JobStatus.FINISHED,
            finished_at=timezone.now(),
        )  # fmt: skip
    with django_assert_num_queries(7):
        overview = operations_overview()
    assert overview.finished == 81 and len(overview.errors) == 10


def test_nearest_rank_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 95) == 7
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95


# --- The broker, asked for real ----------------------------------------------------------------


def test_filesystem_broker_counts_its_message_files_and_is_not_pinged(
    settings, tmp_path: Path
) -> None:
    from kombu import Connection

    folder = tmp_path / "queue"
    folder.mkdir()
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder),
               "control_folder": str(tmp_path / "control"),
               "store_processed": False}  # fmt: skip
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    with Connection("filesystem://", transport_options=options) as conn:
        for queue, n in (("celery", 3), ("other", 2)):
            simple = conn.SimpleQueue(queue)
            for i in range(n):
                simple.put({"n": i})
            simple.close()

    status = broker_status()

    assert (status.transport, status.queue_length, status.can_ping) == ("filesystem", 3, False)
    assert status.workers is None and "cannot be asked" in status.workers_detail


def test_filesystem_broker_with_a_missing_folder_is_unknown(settings, tmp_path: Path) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "gone")}
    status = broker_status()
    assert status.queue_length is None and "cannot be read" in status.queue_detail


@pytest.fixture
def redis_queue(settings) -> Iterator[str]:
    """A queue of this test's own on Redis, made the default; removed afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379.")
    name = f"ops-test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_BROKER_URL = REDIS
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    yield name
    client.delete(name)
    client.close()


def test_redis_queue_length_and_an_empty_ping(redis_queue: str, olga: User) -> None:
    from kombu import Connection

    with Connection(REDIS) as conn:
        simple = conn.SimpleQueue(redis_queue)
        for i in range(4):
            simple.put({"n": i})
        simple.close()

    status = broker_status()

    assert (status.transport, status.queue_length, status.can_ping) == ("redis", 4, True)
    assert status.workers == []  # nobody listens on this database
    page = _client(olga).get(URL).content.decode()
    assert "No worker answered" in page


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_answers_the_ping(redis_queue: str, start_worker) -> None:
    node = f"ops-{uuid.uuid4().hex[:6]}@probe"
    start_worker(node=node, CELERY_BROKER_URL=REDIS)
    assert node in (broker_status().workers or [])


def test_rabbitmq_queue_length(settings) -> None:
    from kombu import Connection

    try:
        Connection(RABBITMQ, connect_timeout=1).ensure_connection(max_retries=1)
    except Exception:
        pytest.skip("RabbitMQ is not running on 127.0.0.1:5672.")
    name = f"ops-test-{uuid.uuid4().hex[:8]}"
    settings.CELERY_BROKER_URL = RABBITMQ
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    assert broker_status().queue_length == 0  # never declared: nothing was queued
    with Connection(RABBITMQ) as conn:
        simple = conn.SimpleQueue(name)
        try:
            simple.put({"n": 1})
            simple.put({"n": 2})
            time.sleep(0.2)  # RabbitMQ counts a message once it is routed
            status = broker_status()
        finally:
            simple.queue.delete()
            simple.close()
    assert (status.transport, status.queue_length, status.can_ping) == ("amqp", 2, True)
    assert status.workers is not None


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:1/0", "amqp://guest:guest@127.0.0.1:1//"], ids=["redis", "amqp"]
)
def test_a_broker_that_is_down_is_unknown_quickly_and_never_a_500(
    url: str, settings, olga: User
) -> None:
    settings.CELERY_BROKER_URL = url
    started = time.monotonic()
    status = broker_status()
    assert time.monotonic() - started < 3
    assert status.queue_length is None and status.workers is None
    assert "did not answer" in status.queue_detail
    response = _client(olga).get(URL)
    assert response.status_code == 200
    assert "unknown" in response.content.decode()


# --- JSON lines ---------------------------------------------------------------------------------


def _json_handler() -> logging.StreamHandler:
    """The handler settings give the ``patchwise.grading`` logger (the test runner adds its own)."""
    log = logging.getLogger("patchwise.grading")
    (handler,) = [h for h in log.handlers if isinstance(h.formatter, JsonLinesFormatter)]
    return handler


@pytest.fixture
def grading_lines() -> Iterator[Callable[[], list[dict]]]:
    """What the configured ``patchwise.grading`` handler writes, parsed line by line."""
    handler = _json_handler()
    buffer = io.StringIO()
    original = handler.setStream(buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(original)


def test_the_grading_logger_writes_json_lines_to_stderr_only() -> None:
    """In a process of its own, as a worker runs it: one JSON object on stderr, nothing else."""
    code = (
        "import django, logging; django.setup(); logging.getLogger('patchwise.grading')"
        ".info('grading.finished', extra={'fields': {'event': 'grading.finished', 'id': 7}})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEBUG": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    (line,) = [json.loads(text) for text in done.stderr.splitlines() if text.startswith("{")]
    assert (line["event"], line["id"]) == ("grading.finished", 7)
    assert line["logger"] == "patchwise.grading"
    assert done.stderr.count("grading.finished") == 2  # once as the message, once as the event
    assert logging.getLogger("patchwise.grading").propagate is False


def test_a_finished_fix_writes_one_line_with_its_timings(grading_lines, alice, flask_lab) -> None:
    submission = make_graded_fix(alice, flask_lab, verdict="broken", functional=("failed",))
    start = submission.created_at
    Submission.objects.filter(pk=submission.pk).update(
        attempts=1, worker="w1@host", started_at=start + timedelta(milliseconds=250),
        finished_at=start + timedelta(milliseconds=1250),
    )  # fmt: skip

    log_job(job="submission", pk=submission.pk, state="graded")

    (line,) = grading_lines()
    expected = {
        "event": "grading.finished", "job": "submission", "id": submission.pk,
        "lab": flask_lab.slug, "kind": "submit", "verdict": "broken", "attempt": 1,
        "worker": "w1@host", "queued_ms": 250, "run_ms": 1000, "total_ms": 1250, "checks": 2,
        "failed": 1,
    }  # fmt: skip
    assert {key: line.get(key) for key in expected} == expected
    assert line["level"] == "INFO" and line["logger"] == "patchwise.grading" and line["ts"]


def test_a_worker_run_that_hits_a_grader_problem_logs_a_retry_then_the_error(
    grading_lines, session: LabSession, settings
) -> None:
    """The version has no bundle: the workspace cannot be built (a real grader problem)."""
    submission = Submission.objects.create(session=session, version=session.version, files={})

    settings.GRADING_MAX_ATTEMPTS = 2
    submission_grade(submission_id=submission.pk, worker="w1@host")
    submission_grade(submission_id=submission.pk, worker="w2@host")
    submission_grade(submission_id=submission.pk, worker="w3@host")  # finished: skipped

    retry, finished = grading_lines()
    assert (retry["event"], retry["attempt"], retry["worker"]) == ("grading.retry", 1, "w1@host")
    assert retry["level"] == "WARNING" and retry["reason"]
    assert (finished["event"], finished["verdict"], finished["attempt"]) == (
        "grading.finished", "grader_error", 2,
    )  # fmt: skip
    assert finished["worker"] == "w2@host" and finished["reason"] == retry["reason"]
    assert finished["total_ms"] >= finished["run_ms"] >= 0


def test_a_finished_exploit_writes_an_exploit_line(grading_lines, session: LabSession) -> None:
    attempt = ExploitAttempt.objects.create(
        session=session, version=session.version, mode="request", request={"path": "no-slash"}
    )

    exploit_attempt_run(attempt_id=attempt.pk)

    (line,) = grading_lines()
    assert (line["event"], line["job"], line["id"], line["lab"]) == (
        "exploit.finished", "exploit", attempt.pk, "ops-lab",
    )  # fmt: skip
    assert (line["verdict"], line["kind"], line["attempt"]) == ("invalid_request", "request", 1)
    assert line["worker"] and {"queued_ms", "run_ms", "total_ms"} <= line.keys()


def test_a_log_failure_never_costs_the_verdict(
    grading_lines, session: LabSession, settings, monkeypatch, caplog
) -> None:
    def database_gone(pk: int) -> None:
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr("labs.services.job_log._submission_fields", database_gone)
    settings.GRADING_MAX_ATTEMPTS = 1
    submission = Submission.objects.create(session=session, version=session.version, files={})

    outcome = submission_grade(submission_id=submission.pk, worker="w1@host")

    assert outcome.state == JobState.GRADED
    assert Submission.objects.get(pk=submission.pk).verdict == Verdict.GRADER_ERROR
    assert grading_lines() == []
    assert "could not log submission" in caplog.text


def test_the_formatter_writes_one_json_object_per_line() -> None:
    formatter = JsonLinesFormatter()
    try:
        raise ValueError("two\nlines")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "m %s", ("a",), sys.exc_info())
    record.fields = {"event": "e", "message": "clash", "when": timezone.now()}
    text = formatter.format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert (line["message"], line["field_message"], line["event"]) == ("m a", "clash", "e")
    assert "ValueError: two" in line["exc"] and line["level"] == "ERROR"


def test_checks_rows_are_counted_in_the_line(grading_lines, alice, flask_lab) -> None:
    submission = make_graded_fix(alice, flask_lab, security=("failed", "passed", "error"))
    assert CheckResult.objects.filter(submission=submission).count() == 4
    log_job(job="submission", pk=submission.pk, state="graded")
    (line,) = grading_lines()
    assert (line["checks"], line["failed"]) == (4, 2)


@pytest.mark.sandbox
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_line_of_each_fix_it_grades(
    start_worker, alice_client: Client, flask_lab: Lab
) -> None:
    """Through Celery, whose worker redirects its own stdout and stderr: the line stays JSON."""
    node = f"ops-{uuid.uuid4().hex[:6]}@probe"
    worker = start_worker(node=node)
    alice_client.post(reverse("labs:workspace-update", args=[flask_lab.slug]), {"action": "submit"})
    submission = Submission.objects.get()
    deadline = time.monotonic() + 60
    while not Submission.objects.get(pk=submission.pk).is_finished:
        assert time.monotonic() < deadline, worker.log.read_text()
        time.sleep(0.1)
    while "grading.finished" not in worker.log.read_text():  # written just after the verdict
        assert time.monotonic() < deadline, worker.log.read_text()
        time.sleep(0.05)

    text = worker.log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith('{"ts"')]
    (line,) = [line for line in lines if line.get("event") == "grading.finished"]
    submission.refresh_from_db()
    assert (line["id"], line["verdict"]) == (submission.pk, submission.verdict)
    assert line["worker"] == node
    assert line["checks"] == submission.checks.count() > 0
    assert line["run_ms"] > 0 and line["total_ms"] >= line["queued_ms"] + line["run_ms"] - 1
