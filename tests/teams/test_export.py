"""The CSV export: streamed, one row per member and assigned item, the dashboard's figures,
safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import Assignment, AssignmentKind
from teams.selectors.export import HEADER, safe_cell
from tests.factories import (
    UserFactory,
    make_graded_fix,
    make_lab,
    make_quiz,
    make_quiz_attempt,
    make_team,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_export_streams_member_by_item_rows_with_dashboard_figures(alice, bob, charlie):
    team = make_team(name="Green team", managers=[bob], members=[alice, charlie])
    lab = make_lab("green-lab", title="Green lab")
    quiz = make_quiz("green-quiz")
    Assignment.objects.create(
        team=team, kind=AssignmentKind.LAB, lab=lab, due_at=timezone.now() - timedelta(days=1)
    )
    only_alice = Assignment.objects.create(
        team=team, kind=AssignmentKind.QUIZ, quiz=quiz, whole_team=False,
        due_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    only_alice.assignees.add(alice)
    make_graded_fix(alice, lab, verdict="broken", functional=("failed",))
    make_graded_fix(alice, lab, verdict="passed")
    make_quiz_attempt(alice, quiz, score=62.5)

    client = Client()
    client.force_login(bob)
    response = client.get(reverse("teams:export-csv", args=[team.slug]))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert f"{team.slug}-progress-{timezone.localdate():%Y-%m-%d}.csv" in disposition
    rows = _rows(response)
    assert [(r["email"], r["kind"], r["item"]) for r in rows] == [
        ("alice@example.com", "lab", "Green lab"),
        ("alice@example.com", "quiz", "Tiny quiz"),
        ("charlie@example.com", "lab", "Green lab"),
    ]
    alice_lab, alice_quiz, charlie_lab = rows
    assert (alice_lab["status"], alice_lab["best_score"], alice_lab["attempts"]) == (
        "completed", "100", "2",
    )  # fmt: skip
    assert alice_lab["late"] == "yes" and alice_lab["completed_at"]
    assert (alice_quiz["status"], alice_quiz["best_score"]) == ("in_progress", "62.5")
    assert (charlie_lab["status"], charlie_lab["overdue"]) == ("not_started", "yes")
    assert list(rows[0]) == list(HEADER)


def test_cells_that_a_spreadsheet_would_run_are_quoted(alice, bob):
    evil = UserFactory(email="mallory@example.com", display_name='=HYPERLINK("http://x")')
    team = make_team(name="Formula team", managers=[bob], members=[evil])
    lab = make_lab("formula-lab", title="+cmd|' /C calc'!A0")
    Assignment.objects.create(
        team=team, kind=AssignmentKind.LAB, lab=lab, due_at=timezone.now() + timedelta(days=1)
    )
    client = Client()
    client.force_login(bob)
    (row,) = _rows(client.get(reverse("teams:export-csv", args=[team.slug])))
    assert row["member"] == '\'=HYPERLINK("http://x")'
    assert row["item"] == "'+cmd|' /C calc'!A0"
    assert [safe_cell(v) for v in ("-1", "@SUM(A1)", "plain", None)] == [
        "'-1", "'@SUM(A1)", "plain", "",
    ]  # fmt: skip


def test_export_is_for_managers_only(alice, bob, charlie):
    team = make_team(name="Closed team", managers=[bob], members=[alice])
    url = reverse("teams:export-csv", args=[team.slug])
    for user in (alice, charlie):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404
