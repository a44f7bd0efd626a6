"""Live progress of a grading: the checks known so far are stored (and shown) while it runs.

Real sandbox throughout: only the callback ``submission_grade`` hands to ``sandbox.grade`` is
wrapped, to look at the database each time the engine reports progress.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from labs import sandbox
from labs.models import (
    CheckResult,
    JobStatus,
    LabSession,
    Submission,
    ValidationStatus,
    Verdict,
)
from labs.services import (
    lab_session_start,
    lab_version_publish,
    lab_version_store,
    read_folder,
    submission_grade,
)
from labs.services.grading import _ProvisionalChecks
from labs.services.grading import claim as _claim
from portal.models import User

pytestmark = pytest.mark.django_db

#: The sandbox engine's fixture lab whose four checks take ~0.3 s each.
SLOW_LAB = Path(__file__).resolve().parents[1] / "sandbox" / "fixtures" / "flask-slow"

Watch = Callable[[tuple[sandbox.CheckResult, ...]], None]


@pytest.fixture
def slow_session(alice: User) -> LabSession:
    version, _ = lab_version_store(bundle=read_folder(SLOW_LAB), source=str(SLOW_LAB))
    version.validation_status = ValidationStatus.VALID
    version.save()
    lab = lab_version_publish(version=version)
    return lab_session_start(user=alice, lab=lab)


def _submission(session: LabSession) -> Submission:
    return Submission.objects.create(
        session=session, version=session.version, files=dict(session.draft_files)
    )


def _watch_progress(monkeypatch, after: Callable[[Watch, tuple], None]) -> None:
    """The real ``sandbox.grade``, each progress call going through ``after(callback, checks)``."""
    real_grade = sandbox.grade

    def grade(**kwargs):
        callback = kwargs["on_progress"]
        return real_grade(**{**kwargs, "on_progress": lambda checks: after(callback, checks)})

    monkeypatch.setattr(sandbox, "grade", grade)


def _stored(sub: Submission) -> dict[str, str]:
    return dict(CheckResult.objects.filter(submission=sub).values_list("test", "outcome"))


@pytest.mark.sandbox
def test_known_checks_are_stored_and_shown_while_the_submission_runs(
    slow_session: LabSession, alice: User, monkeypatch
) -> None:
    sub = _submission(slow_session)
    client = Client()
    client.force_login(alice)
    seen: list[dict] = []

    def after(callback: Watch, checks: tuple) -> None:
        callback(checks)
        sub.refresh_from_db()
        html = client.get(sub.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        seen.append(
            {
                "status": sub.status,
                "known": {check.test: str(check.outcome) for check in checks},
                "stored": _stored(sub),
                "html": html,
            }
        )

    _watch_progress(monkeypatch, after)

    assert submission_grade(submission_id=sub.pk).state == "graded"

    assert seen, "no progress was reported"
    partial = [s for s in seen if 0 < len(s["stored"]) < len(slow_session.version.checks)]
    assert partial, f"never saw part of the checks stored: {seen}"
    for state in seen:
        assert state["status"] == JobStatus.RUNNING
        # Stored rows are checks the engine reported, with the outcome it reported.
        assert state["stored"].items() <= state["known"].items()
    # The status page shows the known outcomes and the rest as pending.
    html = partial[0]["html"]
    assert 'hx-trigger="every 500ms"' in html
    assert "✓" in html and "(passed)" in html
    assert html.count("(pending)") == len(slow_session.version.checks) - len(partial[0]["stored"])
    # Finished: exactly one row per check, the final ones.
    sub.refresh_from_db()
    assert sub.status == JobStatus.FINISHED
    assert sub.verdict == Verdict.STILL_EXPLOITABLE, sub.grader_log
    tests = list(sub.checks.values_list("test", flat=True))
    assert tests == [check["test"] for check in slow_session.version.checks]
    assert _stored(sub)["test_config_keeps_the_secret"] == "failed"


@pytest.mark.sandbox
def test_a_superseded_attempt_writes_no_rows(slow_session: LabSession, monkeypatch) -> None:
    sub = _submission(slow_session)
    counts: list[int] = []

    def after(callback: Watch, checks: tuple) -> None:
        if not counts:
            # The run passed its deadline and the sweeper handed it to another worker.
            Submission.objects.filter(pk=sub.pk).update(
                deadline_at=timezone.now() - timedelta(seconds=1)
            )
            assert _claim(Submission, sub.pk) == 2
        callback(checks)
        counts.append(CheckResult.objects.filter(submission=sub).count())

    _watch_progress(monkeypatch, after)

    assert submission_grade(submission_id=sub.pk).state == "graded"

    assert counts and set(counts) == {0}
    sub.refresh_from_db()
    # Still the other worker's run: this attempt stored neither rows nor a verdict.
    assert (sub.status, sub.attempts, sub.verdict) == (JobStatus.RUNNING, 2, "")
    assert not CheckResult.objects.filter(submission=sub).exists()


def _check(test: str, outcome: str = "passed") -> sandbox.CheckResult:
    return sandbox.CheckResult(test, test.replace("_", " "), "functional", outcome, 5, "")


def test_provisional_rows_are_throttled_and_added_once_by_name(
    slow_session: LabSession, monkeypatch
) -> None:
    sub = _submission(slow_session)
    attempt = _claim(Submission, sub.pk)
    order = [check["test"] for check in slow_session.version.checks]
    clock = [100.0]
    monkeypatch.setattr("labs.services.grading.time.monotonic", lambda: clock[0])
    write = _ProvisionalChecks(sub.pk, attempt, order)

    write((_check("test_health"),))
    assert _stored(sub) == {"test_health": "passed"}
    write((_check("test_health"), _check("test_home_page")))  # 0 s later: skipped
    assert _stored(sub) == {"test_health": "passed"}
    clock[0] += 0.25
    write((_check("test_health"), _check("test_home_page")))
    assert _stored(sub) == {"test_health": "passed", "test_home_page": "passed"}
    assert list(sub.checks.values_list("test", flat=True)) == ["test_home_page", "test_health"]
    clock[0] += 0.25
    write((_check("test_health", "failed"), _check("test_home_page")))  # nothing new by name
    assert _stored(sub) == {"test_health": "passed", "test_home_page": "passed"}
    assert CheckResult.objects.filter(submission=sub).count() == 2


def test_the_running_page_marks_known_checks_and_leaves_the_rest_pending(
    slow_session: LabSession, alice: User
) -> None:
    sub = _submission(slow_session)
    attempt = _claim(Submission, sub.pk)
    _ProvisionalChecks(sub.pk, attempt, [c["test"] for c in slow_session.version.checks])(
        (_check("test_config_keeps_the_secret", "failed"), _check("test_home_page"))
    )
    client = Client()
    client.force_login(alice)

    html = client.get(sub.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 500ms"' in html
    assert html.count('class="check check-passed"') == 1
    assert html.count('class="check check-failed"') == 1
    assert html.count('class="check check-pending"') == 2
    assert '<span class="check-outcome">Failed</span>' in html
    assert html.count("(pending)") == 2 and "(passed)" in html
    # In the lab's order, under the lab's titles.
    titles = [c["title"] for c in slow_session.version.checks]
    assert [html.index(title) for title in titles] == sorted(html.index(t) for t in titles)


def test_a_crashed_attempts_rows_are_gone_when_the_run_is_retried(
    slow_session: LabSession, settings, tmp_path: Path
) -> None:
    sub = _submission(slow_session)
    first = _claim(Submission, sub.pk)
    _ProvisionalChecks(sub.pk, first, [])((_check("test_home_page"),))
    assert _stored(sub)  # the worker died here, mid-run; the sweeper re-queues the run
    Submission.objects.filter(pk=sub.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    settings.SANDBOX_RUNTIMES_DIR = str(tmp_path / "no-runtimes")  # and this attempt fails too

    assert submission_grade(submission_id=sub.pk).state == "retry"

    sub.refresh_from_db()
    assert (sub.status, sub.attempts) == (JobStatus.QUEUED, 2)
    assert not CheckResult.objects.filter(submission=sub).exists()
