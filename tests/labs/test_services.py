"""Lab services without the sandbox: versions, drafts, limits on submissions, the status machine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from labs import sandbox
from labs.models import (
    CheckKind,
    CheckOutcome,
    JobStatus,
    Lab,
    LabSession,
    Submission,
    SubmissionKind,
    ValidationStatus,
    Verdict,
)
from labs.services import (
    BundleError,
    BundleFiles,
    LabError,
    draft_reset,
    draft_save,
    hint_reveal,
    lab_version_publish,
    lab_version_store,
    read_folder,
    solution_reveal,
    submission_create,
)
from labs.services.grading import _grader_error, _recognised_bad_fix, _store_result
from labs.services.grading import claim as _claim
from tests.factories import LABS

pytestmark = pytest.mark.django_db


def test_storing_the_same_bundle_twice_makes_one_version() -> None:
    bundle = read_folder(LABS / "flask-debug-console")
    first, created = lab_version_store(bundle=bundle)
    again, created_again = lab_version_store(bundle=bundle)
    assert created and not created_again
    assert first.pk == again.pk
    assert first.number == 1
    assert first.brief_html and "<script" not in first.brief_html
    assert "app.py" in first.starter_files
    assert set(first.editable) <= set(first.starter_files)


def test_a_changed_bundle_becomes_version_two() -> None:
    bundle = read_folder(LABS / "flask-debug-console")
    lab_version_store(bundle=bundle)
    files = dict(bundle.files)
    files["brief.md"] += b"\nA clarification.\n"
    second, created = lab_version_store(bundle=type(bundle)(files))
    assert created and second.number == 2
    assert Lab.objects.get(slug="flask-debug-console").versions.count() == 2


def test_only_a_valid_version_can_be_published() -> None:
    version, _ = lab_version_store(bundle=read_folder(LABS / "flask-debug-console"))
    with pytest.raises(LabError, match="has not passed validation"):
        lab_version_publish(version=version)
    assert not Lab.objects.published().exists()
    version.validation_status = ValidationStatus.VALID
    version.save()
    lab = lab_version_publish(version=version)
    assert lab.is_published and lab.cwe and lab.summary


def test_session_starts_with_the_starter_draft(alice_session: LabSession) -> None:
    version = alice_session.version
    assert alice_session.draft_files == {p: version.starter_files[p] for p in version.editable}


def test_draft_refuses_files_that_are_not_editable(alice_session: LabSession) -> None:
    with pytest.raises(LabError, match="not a file you can change"):
        draft_save(session=alice_session, files={"tests/hidden/test_debugger.py": "x"})
    with pytest.raises(LabError, match="not a file you can change"):
        draft_save(session=alice_session, files={"../../etc/passwd": "x"})
    with pytest.raises(LabError, match="longer than"):
        draft_save(session=alice_session, files={alice_session.version.editable[0]: "x" * 200_001})


def test_draft_save_and_reset(alice_session: LabSession) -> None:
    path = alice_session.version.editable[0]
    draft_save(session=alice_session, files={path: "print('mine')\r\n"})
    alice_session.refresh_from_db()
    assert alice_session.draft_files[path] == "print('mine')\n"  # line endings normalised
    draft_reset(session=alice_session)
    alice_session.refresh_from_db()
    assert alice_session.draft_files[path] == alice_session.version.starter_files[path]


def test_one_submission_in_flight_per_lab(
    alice_session: LabSession, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        submission_create(session=alice_session, files={})
        with pytest.raises(LabError, match="still being graded"):
            submission_create(session=alice_session, files={})
    assert Submission.objects.count() == 1


def test_rate_limit_has_a_clear_message(
    alice_session: LabSession, settings, django_capture_on_commit_callbacks
) -> None:
    settings.LAB_SUBMISSIONS_PER_MINUTE = 2
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            sub = submission_create(session=alice_session, files={})
            Submission.objects.filter(pk=sub.pk).update(status=JobStatus.FINISHED)
        with pytest.raises(
            LabError, match=r"run again in (60|59) seconds: nothing you typed is lost"
        ):
            submission_create(session=alice_session, files={})
    assert Submission.objects.count() == 2


def test_submission_is_queued_after_commit(
    alice_session: LabSession, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    sent: list[int] = []
    monkeypatch.setattr("labs.tasks.grade_submission.delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        sub = submission_create(session=alice_session, files={})
        assert sent == []  # nothing is queued before the row is committed
    assert sent == [sub.pk]
    assert sub.status == JobStatus.QUEUED
    assert set(sub.files) == set(alice_session.version.editable)


def _queued(session: LabSession) -> Submission:
    return Submission.objects.create(session=session, version=session.version, files={})


def test_a_submission_is_claimed_once(alice_session: LabSession) -> None:
    sub = _queued(alice_session)
    assert _claim(Submission, sub.pk) == 1
    assert _claim(Submission, sub.pk) is None  # a second delivery finds it running


def test_a_running_submission_past_its_deadline_can_be_claimed_again(
    alice_session: LabSession,
) -> None:
    sub = _queued(alice_session)
    first = _claim(Submission, sub.pk)
    Submission.objects.filter(pk=sub.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    second = _claim(Submission, sub.pk)
    assert (first, second) == (1, 2)


def _result(verdict: sandbox.Verdict, failed: tuple[str, ...] = ()) -> sandbox.GradeResult:
    checks = tuple(
        sandbox.CheckResult(
            test=name, title=name.replace("_", " "), kind="security",
            outcome=sandbox.Outcome.FAILED if name in failed else sandbox.Outcome.PASSED,
            duration_ms=5,
        )
        for name in ("test_a", "test_b")
    )  # fmt: skip
    return sandbox.GradeResult(verdict=verdict, checks=checks, duration_ms=42)


def test_a_late_result_from_a_superseded_attempt_is_ignored(alice_session: LabSession) -> None:
    sub = _queued(alice_session)
    old = _claim(Submission, sub.pk)
    Submission.objects.filter(pk=sub.pk).update(deadline_at=timezone.now() - timedelta(seconds=1))
    new = _claim(Submission, sub.pk)
    _store_result(sub.pk, old, _result(sandbox.Verdict.PASSED))
    sub.refresh_from_db()
    assert sub.status == JobStatus.RUNNING and sub.checks.count() == 0
    _store_result(sub.pk, new, _result(sandbox.Verdict.STILL_EXPLOITABLE, ("test_a",)))
    sub.refresh_from_db()
    assert sub.verdict == Verdict.STILL_EXPLOITABLE
    assert list(sub.checks.values_list("outcome", flat=True)) == [
        CheckOutcome.FAILED,
        CheckOutcome.PASSED,
    ]


def test_passing_marks_solved_with_hint_costs(alice_session: LabSession) -> None:
    hint_reveal(session=alice_session, index=0)
    cost = int(alice_session.version.hints[0]["cost"])
    sub = _queued(alice_session)
    _store_result(sub.pk, _claim(Submission, sub.pk), _result(sandbox.Verdict.PASSED))
    alice_session.refresh_from_db()
    assert alice_session.is_solved
    assert alice_session.score == 100 - cost


def test_public_test_runs_never_solve_the_lab(alice_session: LabSession) -> None:
    sub = Submission.objects.create(
        session=alice_session,
        version=alice_session.version,
        files={},
        kind=SubmissionKind.PUBLIC_TESTS,
    )
    _store_result(sub.pk, _claim(Submission, sub.pk), _result(sandbox.Verdict.PASSED))
    alice_session.refresh_from_db()
    assert not alice_session.is_solved


def test_grader_errors_are_retried_then_reported_without_blame(
    alice_session: LabSession, settings
) -> None:
    settings.GRADING_MAX_ATTEMPTS = 2
    sub = _queued(alice_session)
    assert _grader_error(sub.pk, _claim(Submission, sub.pk), "runtime missing").state == "retry"
    sub.refresh_from_db()
    assert sub.status == JobStatus.QUEUED
    assert _grader_error(sub.pk, _claim(Submission, sub.pk), "runtime missing").state == "graded"
    sub.refresh_from_db()
    assert sub.status == JobStatus.FINISHED
    assert sub.verdict == Verdict.GRADER_ERROR
    assert "does not count against you" in sub.reason
    assert "runtime missing" not in sub.reason  # internals stay in the staff log


def test_a_known_bad_fix_is_recognised(db) -> None:
    from tests.factories import store_published

    version = store_published("flask-debug-console", {"hide-console-route": ["test_a"]})
    assert (
        _recognised_bad_fix(version, _result(sandbox.Verdict.STILL_EXPLOITABLE, ("test_a",)))
        == "hide-console-route"
    )
    assert (
        _recognised_bad_fix(version, _result(sandbox.Verdict.STILL_EXPLOITABLE, ("test_b",))) == ""
    )


def test_revealing_the_solution_scores_zero(alice_session: LabSession) -> None:
    solution_reveal(session=alice_session)
    alice_session.refresh_from_db()
    assert alice_session.score == 0 and alice_session.explanation_unlocked
    assert alice_session.potential_score() == 0


@pytest.mark.parametrize(
    ("choices", "engine"),
    [
        (Verdict, sandbox.Verdict),
        (CheckOutcome, sandbox.Outcome),
        (CheckKind, sandbox.CheckKind),
    ],
    ids=["verdict", "outcome", "check-kind"],
)
def test_django_choices_are_exactly_the_engine_constants(choices, engine) -> None:
    assert set(choices.values) == {str(value) for value in engine}


def _with_lab_toml(replace: str, by: str) -> BundleFiles:
    bundle = read_folder(LABS / "flask-debug-console")
    toml = bundle.files["lab.toml"].decode()
    assert replace in toml
    return BundleFiles({**bundle.files, "lab.toml": toml.replace(replace, by, 1).encode()})


@pytest.mark.parametrize("cost", ['"lots"', "-5", "2.5", "true", "1000"])
def test_a_hint_with_a_bad_cost_is_refused_when_the_bundle_is_stored(cost: str) -> None:
    bundle = _with_lab_toml("cost = 10", f"cost = {cost}")
    with pytest.raises(BundleError, match=r"hint 1: cost must be a whole number of points"):
        lab_version_store(bundle=bundle)
    assert not Lab.objects.exists()


def test_an_unknown_difficulty_is_refused_when_the_bundle_is_stored() -> None:
    bundle = _with_lab_toml('difficulty = "intermediate"', 'difficulty = "expert"')
    with pytest.raises(BundleError, match="difficulty must be one of beginner, intermediate"):
        lab_version_store(bundle=bundle)


@pytest.mark.sandbox
def test_a_request_session_runs_in_order_against_one_app(alice_session: LabSession) -> None:
    """Request mode with follow-ups: every request reaches the same running app, in order."""
    from labs.models import ExploitAttempt
    from labs.services import exploit_attempt_run

    attempt = ExploitAttempt.objects.create(
        session=alice_session, version=alice_session.version, mode="request",
        request={
            "method": "GET", "path": "/?page=oops", "headers": [], "body": "",
            "then": [{"method": "GET", "path": "/", "headers": [], "body": ""}],
        },
    )  # fmt: skip
    assert exploit_attempt_run(attempt_id=attempt.pk).state == "graded"
    attempt.refresh_from_db()
    assert attempt.result["status"] == "completed", attempt.result
    assert [e["url"] for e in attempt.result["exchanges"]] == ["/?page=oops", "/"]
    assert attempt.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_run_limit_holds_for_runs_at_once_on_different_labs(monkeypatch) -> None:
    """Two runs at the same moment on two labs with room for one: one is queued, the other is
    told to wait. The count stays open a moment so the second request reads it before the first
    commits, which is when a limit that only counted rows let both through (PostgreSQL only:
    SQLite runs one writer at a time)."""
    import threading
    import time

    from django.db import connection

    from labs.services import submissions
    from tests.factories import UserFactory, make_lab

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    from labs.services import lab_session_start

    learner = UserFactory()
    sessions = [
        lab_session_start(user=learner, lab=make_lab("lab-one")),
        lab_session_start(user=learner, lab=make_lab("lab-two")),
    ]
    monkeypatch.setattr("django.conf.settings.LAB_SUBMISSIONS_PER_MINUTE", 1)
    monkeypatch.setattr("labs.tasks.grade_submission.delay", lambda pk: None)
    counted = submissions.run_rate_limit

    def slow_count(user) -> None:
        counted(user)
        time.sleep(0.3)

    monkeypatch.setattr(submissions, "run_rate_limit", slow_count)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def run(session: LabSession) -> None:
        barrier.wait()
        try:
            submission_create(session=session, files={})
            outcomes.append("queued")
        except LabError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["queued", "refused"]
    assert Submission.objects.filter(session__user=learner).count() == 1
