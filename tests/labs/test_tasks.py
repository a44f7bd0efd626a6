"""The Celery tasks as the worker runs them: thin, safe to run twice, retried by `self.retry`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from labs import sandbox
from labs.models import JobStatus, LabSession, Submission, Verdict
from labs.tasks import grade_submission

pytestmark = pytest.mark.django_db

TASKS = Path(__file__).resolve().parents[2] / "labs" / "tasks.py"


def test_a_grader_error_is_retried_by_the_task_then_reported_without_blame(
    alice_session: LabSession, settings, monkeypatch
) -> None:
    settings.GRADING_MAX_ATTEMPTS = 2
    calls: list[int] = []

    def unavailable(**kwargs: object) -> None:
        calls.append(1)
        raise sandbox.SandboxUnavailable("bubblewrap is missing")

    monkeypatch.setattr(sandbox, "grade", unavailable)
    sub = Submission.objects.create(
        session=alice_session, version=alice_session.version, files=alice_session.draft_files
    )

    # Run as the worker would, in this process: the retry runs the task again at once.
    grade_submission.apply((sub.pk,))

    sub.refresh_from_db()
    assert len(calls) == 2 and sub.attempts == 2
    assert (sub.status, sub.verdict) == (JobStatus.FINISHED, Verdict.GRADER_ERROR)
    assert "bubblewrap is missing" in sub.grader_log


def test_a_task_delivered_twice_grades_once(alice_session: LabSession, monkeypatch) -> None:
    sub = Submission.objects.create(
        session=alice_session, version=alice_session.version, files={},
        status=JobStatus.FINISHED, verdict=Verdict.BROKEN,
    )  # fmt: skip
    monkeypatch.setattr(sandbox, "grade", lambda **kwargs: pytest.fail("graded twice"))
    assert grade_submission.apply((sub.pk,)).get() == "skipped"


def test_tasks_import_their_services_inside_the_task_body() -> None:
    """Services import the tasks they queue at module level; tasks never do the reverse there."""
    tree = ast.parse(TASKS.read_text())
    top_level = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    modules = {node.module for node in top_level if isinstance(node, ast.ImportFrom)}
    modules |= {
        alias.name for node in top_level if isinstance(node, ast.Import) for alias in node.names
    }
    assert not {m for m in modules if m and m.startswith("labs")}, modules
