"""Every member's progress on every assignment of a team: the one grid that the dashboard, the
CSV export, member pages and reminders all read, so they never disagree.

Courses and labs are read through their selectors, a fixed number of queries whatever the team's
size: the assignments (with named assignees), the members, then one batch per kind of target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from courses import selectors as course_selectors
from labs import selectors as lab_selectors
from teams.models import Assignment, AssignmentKind, Membership, Role, Team


class ItemState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


@dataclass(frozen=True)
class ItemStatus:
    """One person's standing on one assignment.

    ``best_score``: a quiz's best percent, a lab's session score (None until solved), a path's
    percent of steps done. ``attempts``: finished quiz attempts, graded fix submissions, or path
    steps done.
    """

    state: ItemState
    overdue: bool  # not completed and the due date has passed
    late: bool  # completed, but after the due date
    completed_at: datetime | None
    best_score: float | None
    attempts: int
    first_activity_at: datetime | None
    last_activity_at: datetime | None

    @property
    def completed(self) -> bool:
        return self.state == ItemState.COMPLETED

    @property
    def started(self) -> bool:
        return self.state != ItemState.NOT_STARTED

    @property
    def state_label(self) -> str:
        return ItemState(self.state).label

    @property
    def label(self) -> str:
        """The state as words, "Overdue" taking precedence (what tables and the CSV show)."""
        return "Overdue" if self.overdue else self.state_label


def _uid(user: Any) -> int:
    return int(getattr(user, "pk", user))


@dataclass
class ProgressGrid:
    """Assignments x people. ``members`` are users (with ``role`` by user id in ``roles``)."""

    team: Team
    assignments: list[Assignment]
    members: list[Any]
    roles: dict[int, str]
    now: datetime
    _assignees: dict[int, set[int]] = field(default_factory=dict)
    _labs: dict[tuple[int, int], Any] = field(default_factory=dict)
    _quizzes: dict[tuple[int, int], Any] = field(default_factory=dict)
    _paths: dict[tuple[int, int], Any] = field(default_factory=dict)
    _cache: dict[tuple[int, int], ItemStatus] = field(default_factory=dict)

    def applies(self, assignment: Assignment, user: Any) -> bool:
        """Whole-team assignments apply to everyone; others only to the people they name."""
        return assignment.whole_team or _uid(user) in self._assignees.get(assignment.pk, set())

    def assignees_of(self, assignment: Assignment) -> list[Any]:
        """The grid's people this assignment applies to."""
        return [u for u in self.members if self.applies(assignment, u)]

    def assignments_of(self, user: Any) -> list[Assignment]:
        """The assignments that apply to this person, soonest due first."""
        return [a for a in self.assignments if self.applies(a, user)]

    def status(self, assignment: Assignment, user: Any) -> ItemStatus:
        key = (assignment.pk, _uid(user))
        if key not in self._cache:
            self._cache[key] = self._status(assignment, key[1])
        return self._cache[key]

    def _status(self, assignment: Assignment, user_id: int) -> ItemStatus:
        completed_at: datetime | None = None
        best: float | None = None
        attempts = 0
        first = last = None
        started = False
        if assignment.kind == AssignmentKind.LAB:
            lab = self._labs.get((user_id, assignment.lab_id))
            if lab is not None:
                started = True
                completed_at, best, attempts = lab.solved_at, lab.score, lab.graded
                first = lab.started_at
                last = max(t for t in (lab.updated_at, lab.last_graded_at) if t is not None)
        elif assignment.kind == AssignmentKind.QUIZ:
            quiz = self._quizzes.get((user_id, assignment.quiz_id))
            if quiz is not None:
                started = True
                completed_at, best, attempts = quiz.passed_at, quiz.best_score, quiz.attempts
                first, last = quiz.first_at, quiz.last_at
        else:
            path = self._paths.get((user_id, assignment.path_id))
            if path is not None:
                started = path.started or path.done > 0
                completed_at = path.completed_at
                best = float(path.percent) if path.total else None
                attempts = path.done
                first, last = path.first_at, path.last_at
        if completed_at is not None:
            state = ItemState.COMPLETED
        elif started:
            state = ItemState.IN_PROGRESS
        else:
            state = ItemState.NOT_STARTED
        applies = assignment.whole_team or user_id in self._assignees.get(assignment.pk, set())
        return ItemStatus(
            state=state,
            overdue=applies and completed_at is None and self.now >= assignment.due_at,
            late=completed_at is not None and completed_at > assignment.due_at,
            completed_at=completed_at,
            best_score=best,
            attempts=attempts,
            first_activity_at=first,
            last_activity_at=last,
        )


def assignment_progress(
    *, team: Team, users: Iterable[Any] | None = None, now: datetime | None = None
) -> ProgressGrid:
    """The team's assignments and each person's status on each.

    ``users=None`` means the team's members (role member); pass people to restrict the grid
    (e.g. one member's own page). Queries: 3, plus 1 for labs, 1 for quizzes, 4 for paths when
    such assignments exist, whatever the number of people.
    """
    assignments = list(
        Assignment.objects.filter(team=team)
        .select_related("path", "quiz", "lab")
        .prefetch_related("assignees")
        .order_by("due_at", "id")
    )
    memberships = Membership.objects.filter(team=team).select_related("user")
    if users is None:
        memberships = memberships.filter(role=Role.MEMBER)
    else:
        memberships = memberships.filter(user_id__in={_uid(u) for u in users})
    rows = list(memberships.order_by("user__display_name", "user__email"))
    members = [m.user for m in rows]
    user_ids = {u.pk for u in members}
    grid = ProgressGrid(
        team=team,
        assignments=assignments,
        members=members,
        roles={m.user_id: m.role for m in rows},
        now=now or timezone.now(),
        _assignees={a.pk: {u.pk for u in a.assignees.all()} for a in assignments},
    )
    if not user_ids:
        return grid
    lab_ids = {a.lab_id for a in assignments if a.kind == AssignmentKind.LAB}
    quiz_ids = {a.quiz_id for a in assignments if a.kind == AssignmentKind.QUIZ}
    path_ids = {a.path_id for a in assignments if a.kind == AssignmentKind.PATH}
    if lab_ids:
        grid._labs = lab_selectors.lab_records(user_ids=user_ids, lab_ids=lab_ids)
    if quiz_ids:
        grid._quizzes = course_selectors.quiz_summaries(user_ids=user_ids, quiz_ids=quiz_ids)
    if path_ids:
        grid._paths = course_selectors.path_summaries(user_ids=user_ids, path_ids=path_ids)
    return grid
