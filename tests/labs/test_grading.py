"""Grading through the product's own path (service + real sandbox), as the worker runs it."""

from __future__ import annotations

import pytest

from labs.models import ExploitAttempt, ExploitMode, LabSession, Submission, Verdict
from labs.services import exploit_attempt_run, submission_grade
from tests.factories import LABS, store_published
from tests.labs.conftest import solution_files

pytestmark = [pytest.mark.sandbox, pytest.mark.django_db]


def _grade(session: LabSession, files: dict[str, str], kind: str = "submit") -> Submission:
    sub = Submission.objects.create(
        session=session, version=session.version, files={**session.draft_files, **files}, kind=kind
    )
    assert submission_grade(submission_id=sub.pk).state == "graded"
    sub.refresh_from_db()
    return sub


def test_reference_fix_passes_and_solves_the_lab(alice_session: LabSession) -> None:
    sub = _grade(alice_session, solution_files(alice_session))
    assert sub.verdict == Verdict.PASSED, sub.grader_log
    assert sub.checks.count() == len(alice_session.version.checks)
    assert all(check.passed for check in sub.checks.all())
    alice_session.refresh_from_db()
    assert alice_session.is_solved and alice_session.score == 100
    # Grading a submission twice is impossible: the second task finds it finished.
    assert submission_grade(submission_id=sub.pk).state == "skipped"


def test_starter_is_still_exploitable_and_names_only_titles(alice_session: LabSession) -> None:
    sub = _grade(alice_session, {})
    assert sub.verdict == Verdict.STILL_EXPLOITABLE
    failed = sub.checks.filter(kind="security").exclude(outcome="passed")
    assert failed.exists()
    hidden_source = (LABS / "flask-debug-console/tests/hidden/test_debugger.py").read_text()
    for check in sub.checks.all():
        assert check.message not in hidden_source or check.message == ""


def test_a_syntax_error_does_not_start_and_shows_the_learners_traceback(
    alice_session: LabSession,
) -> None:
    sub = _grade(alice_session, {"settings.py": "DEBUG = (\n"})
    assert sub.verdict == Verdict.DOES_NOT_START
    assert "settings.py" in sub.app_stderr
    assert "SyntaxError" in sub.app_stderr
    assert "tests/hidden" not in sub.app_stderr


def test_an_infinite_loop_times_out(alice_session: LabSession, settings) -> None:
    settings.SANDBOX_WALL_SECONDS = 4
    sub = _grade(alice_session, {"settings.py": "while True:\n    pass\n"})
    assert sub.verdict == Verdict.TIMEOUT
    assert sub.reason


def test_a_fix_that_breaks_a_feature_is_broken(db, alice) -> None:
    from labs.services import lab_session_start

    lab = store_published("django-raw-sql-search").lab
    session = lab_session_start(user=alice, lab=lab)
    bad = LABS / "django-raw-sql-search/bad_fixes/letters-and-digits-only"
    files = {str(f.relative_to(bad)): f.read_text() for f in bad.rglob("*.py")}
    sub = _grade(session, files)
    assert sub.verdict == Verdict.BROKEN
    assert sub.checks.filter(kind="functional").exclude(outcome="passed").exists()


def test_a_known_bad_fix_gets_its_explanation(db, alice) -> None:
    from labs.services import lab_session_start

    bundle = LABS / "flask-debug-console"
    version = store_published("flask-debug-console")
    session = lab_session_start(user=alice, lab=version.lab)
    bad = bundle / "bad_fixes/hide-console-route/standup/__init__.py"
    first = _grade(session, {"standup/__init__.py": bad.read_text()})
    failed = sorted(c.test for c in first.checks.all() if not c.passed)
    version.validation_report = {"bad_fix_signatures": {"hide-console-route": failed}}
    version.save()
    Submission.objects.filter(pk=first.pk).delete()
    again = _grade(session, {"standup/__init__.py": bad.read_text()})
    assert again.bad_fix == "hide-console-route"


def test_public_tests_return_their_full_output(alice_session: LabSession) -> None:
    sub = _grade(alice_session, {}, kind="public_tests")
    assert sub.verdict == Verdict.PASSED
    assert "passed" in sub.test_output


def _exploit(session: LabSession, **fields) -> ExploitAttempt:
    attempt = ExploitAttempt.objects.create(session=session, version=session.version, **fields)
    assert exploit_attempt_run(attempt_id=attempt.pk).state == "graded"
    attempt.refresh_from_db()
    return attempt


def test_reference_exploit_script_captures_the_flag(alice_session: LabSession) -> None:
    script = (LABS / "flask-debug-console/exploit/solve.py").read_text()
    attempt = _exploit(alice_session, mode=ExploitMode.SCRIPT, script=script)
    assert attempt.flag_found
    alice_session.refresh_from_db()
    assert alice_session.exploit_done_at is not None


def test_a_harmless_request_shows_the_response_without_the_flag(alice_session: LabSession) -> None:
    request = {"method": "GET", "path": "/healthz", "headers": [], "body": ""}
    attempt = _exploit(alice_session, mode=ExploitMode.REQUEST, request=request)
    assert not attempt.flag_found
    exchange = attempt.result["exchanges"][0]
    assert exchange["status"] == 200
    alice_session.refresh_from_db()
    assert alice_session.exploit_done_at is None
