"""What lab pages read: a fixed number of queries whatever the learner's history, own rows only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from labs.models import CheckResult, JobStatus, LabSession, Submission, Verdict
from labs.selectors import lab_workspace, learner_submissions, submission_page
from labs.services import lab_session_start

pytestmark = pytest.mark.django_db


def _finished(session: LabSession, n: int) -> list[Submission]:
    subs = []
    for i in range(n):
        sub = Submission.objects.create(
            session=session, version=session.version, files={"settings.py": f"# try {i}\n"},
            status=JobStatus.FINISHED, verdict=Verdict.BROKEN,
        )  # fmt: skip
        CheckResult.objects.create(
            submission=sub, test="test_a", title="A", kind="security", outcome="failed"
        )
        subs.append(sub)
    return subs


def _queries(read) -> int:
    with CaptureQueriesContext(connection) as queries:
        read()
    return len(queries)


def test_the_workspace_reads_the_same_queries_for_one_try_or_many(alice, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    _finished(session, 1)
    fresh = LabSession.objects.select_related("lab", "version").get(pk=session.pk)
    one = _queries(lambda: lab_workspace(session=fresh))
    _finished(session, 6)
    fresh = LabSession.objects.select_related("lab", "version").get(pk=session.pk)
    many = _queries(lambda: lab_workspace(session=fresh))
    assert one == many
    workspace = lab_workspace(session=fresh)
    assert len(workspace.history) == 7 and workspace.history[0].n_checks == 1
    assert [f.path for f in workspace.files if f.editable] == sorted(fresh.version.editable)


def test_a_submission_page_compares_with_the_previous_try_of_the_same_kind(
    alice, flask_lab
) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    first, second = _finished(session, 2)
    page = submission_page(submission=second)
    assert page.previous == first
    assert page.diff_previous and page.diff_previous[0].path == "settings.py"
    assert submission_page(submission=first).previous is None


def test_learners_read_only_their_own_submissions(alice, bob, flask_lab) -> None:
    mine = _finished(lab_session_start(user=alice, lab=flask_lab), 1)
    _finished(lab_session_start(user=bob, lab=flask_lab), 1)
    assert list(learner_submissions(user=alice)) == mine


def test_the_history_lists_the_newest_try_first(alice, flask_lab) -> None:
    """Counting checks groups the query, and Django then drops Meta.ordering: the history must
    order itself, or the oldest tries come first and the newest fall off the page."""
    from datetime import timedelta

    from django.utils import timezone

    from labs.selectors.workspace import submission_history

    session = lab_session_start(user=alice, lab=flask_lab)
    tries = _finished(session, 3)
    for age, sub in zip((3, 2, 1), tries, strict=True):
        Submission.objects.filter(pk=sub.pk).update(
            created_at=timezone.now() - timedelta(hours=age)
        )
    assert [s.pk for s in submission_history(session=session)] == [s.pk for s in reversed(tries)]
