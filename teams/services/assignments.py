"""Writes on assignments: a published path, quiz or lab for the whole team or chosen members,
with a due date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from teams.models import Assignment, AssignmentKind, Membership, Team
from teams.selectors.choices import is_assignable


class AssignmentError(Exception):
    """An assignment refused, with a message meant for the manager."""


def _members_only(team: Team, assignees: Iterable[Any] | None) -> list[Any]:
    """The chosen people, each checked to be in the team (an empty choice means everyone)."""
    people = list(assignees or [])
    if not people:
        return []
    ids = {person.pk for person in people}
    in_team = set(
        Membership.objects.filter(team=team, user_id__in=ids).values_list("user_id", flat=True)
    )
    if ids - in_team:
        raise AssignmentError("Work can only be assigned to members of the team.")
    return people


@transaction.atomic
def assignment_create(
    *,
    team: Team,
    kind: str,
    target: Any,
    due_at: datetime,
    created_by: Any,
    assignees: Iterable[Any] | None = None,
    note: str = "",
) -> Assignment:
    """Assign a published path, quiz or lab; no assignees means the whole team, present and
    future members alike."""
    if kind not in AssignmentKind.values:
        raise AssignmentError("Choose a learning path, a quiz or a lab.")
    if not is_assignable(kind=kind, target=target):
        raise AssignmentError("Only published paths, quizzes and labs can be assigned.")
    people = _members_only(team, assignees)
    assignment = Assignment.objects.create(
        team=team,
        kind=kind,
        **{kind: target},
        whole_team=not people,
        due_at=due_at,
        note=note.strip(),
        created_by=created_by,
    )
    if people:
        assignment.assignees.set(people)
    return assignment


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    due_at: datetime,
    assignees: Iterable[Any] | None,
    note: str,
) -> Assignment:
    """Move the due date, change who it is for, or edit the note; the target stays (assign a
    new item instead). Moving the due date re-arms its reminders."""
    people = _members_only(assignment.team, assignees)
    if due_at != assignment.due_at:
        # A new due date is a new deadline: its reminders may go out again.
        assignment.reminders.all().delete()
    assignment.due_at = due_at
    assignment.note = note.strip()
    assignment.whole_team = not people
    assignment.save(update_fields=["due_at", "note", "whole_team"])
    assignment.assignees.set(people)
    return assignment


def assignment_delete(*, assignment: Assignment) -> None:
    """Withdraw an assignment; its reminders go with it, the learners' progress stays."""
    assignment.delete()
