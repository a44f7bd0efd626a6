"""Assignments: published targets only, team members only, whole team by default."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import LearningPath, Status
from teams.models import Assignment, AssignmentKind, ReminderKind, ReminderSent
from teams.services.assignments import (
    AssignmentError,
    assignment_create,
    assignment_delete,
    assignment_update,
)
from tests.factories import make_lab, make_quiz, make_team

pytestmark = pytest.mark.django_db


def _due(days: int = 7):
    return timezone.now() + timedelta(days=days)


def test_whole_team_when_nobody_is_named(bob, alice):
    team = make_team(managers=[bob], members=[alice])
    lab = make_lab("team-sqli")
    assignment = assignment_create(
        team=team, kind=AssignmentKind.LAB, target=lab, due_at=_due(), created_by=bob, note=" go "
    )
    assert assignment.whole_team and assignment.lab == lab and assignment.note == "go"
    assert list(assignment.assignees.all()) == []


def test_named_members_only(bob, alice, charlie):
    team = make_team(managers=[bob], members=[alice])
    quiz = make_quiz()
    assignment = assignment_create(
        team=team, kind=AssignmentKind.QUIZ, target=quiz, due_at=_due(), created_by=bob,
        assignees=[alice],
    )  # fmt: skip
    assert not assignment.whole_team
    assert list(assignment.assignees.all()) == [alice]
    with pytest.raises(AssignmentError, match="members of the team"):
        assignment_create(
            team=team, kind=AssignmentKind.QUIZ, target=quiz, due_at=_due(), created_by=bob,
            assignees=[alice, charlie],
        )  # fmt: skip


def test_unpublished_targets_are_refused(bob):
    team = make_team(managers=[bob])
    draft_lab = make_lab("draft-lab", published=False)
    draft_quiz = make_quiz("draft-quiz", status=Status.DRAFT)
    draft_path = LearningPath.objects.create(slug="draft", title="Draft", status=Status.DRAFT)
    for kind, target in [
        (AssignmentKind.LAB, draft_lab),
        (AssignmentKind.QUIZ, draft_quiz),
        (AssignmentKind.PATH, draft_path),
    ]:
        with pytest.raises(AssignmentError, match="published"):
            assignment_create(team=team, kind=kind, target=target, due_at=_due(), created_by=bob)
    assert not Assignment.objects.exists()


def test_kind_must_match_the_target(bob):
    team = make_team(managers=[bob])
    lab = make_lab("team-sqli")
    with pytest.raises(AssignmentError):
        assignment_create(team=team, kind=AssignmentKind.QUIZ, target=lab, due_at=_due(),
                          created_by=bob)  # fmt: skip


def test_published_path_can_be_assigned(bob, path_with_steps):
    team = make_team(managers=[bob])
    assignment = assignment_create(
        team=team, kind=AssignmentKind.PATH, target=path_with_steps, due_at=_due(), created_by=bob
    )
    assert assignment.target == path_with_steps


def test_update_changes_due_date_assignees_and_rearms_reminders(bob, alice, charlie):
    team = make_team(managers=[bob], members=[alice, charlie])
    lab = make_lab("team-sqli")
    assignment = assignment_create(
        team=team, kind=AssignmentKind.LAB, target=lab, due_at=_due(1), created_by=bob
    )
    ReminderSent.objects.create(assignment=assignment, user=alice, kind=ReminderKind.DUE_SOON)
    assignment_update(assignment=assignment, due_at=_due(9), assignees=[charlie], note="later")
    assignment.refresh_from_db()
    assert not assignment.whole_team and list(assignment.assignees.all()) == [charlie]
    assert assignment.note == "later"
    assert not ReminderSent.objects.filter(assignment=assignment).exists()
    assignment_update(assignment=assignment, due_at=assignment.due_at, assignees=[], note="")
    assignment.refresh_from_db()
    assert assignment.whole_team and list(assignment.assignees.all()) == []


def test_delete(bob):
    team = make_team(managers=[bob])
    assignment = assignment_create(
        team=team, kind=AssignmentKind.LAB, target=make_lab("x"), due_at=_due(), created_by=bob
    )
    assignment_delete(assignment=assignment)
    assert not Assignment.objects.exists()
