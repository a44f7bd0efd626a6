"""The manager dashboard's figures: the summary, a row per member and a row per assignment.

All of it is derived from one :class:`~teams.selectors.progress.ProgressGrid` plus two batch
reads (labs solved, mean best quiz score), so the page and the CSV export agree and the query
count does not grow with the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from courses import selectors as course_selectors
from labs import selectors as lab_selectors
from teams.models import Assignment, Team
from teams.selectors.progress import ItemState, ProgressGrid, assignment_progress


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class Summary:
    members: int
    assigned: int  # member x applicable assignment pairs
    completed: int
    overdue: int
    labs_solved: int
    mean_best_quiz: float | None  # mean over members who finished a quiz

    @property
    def completion_percent(self) -> int | None:
        return _percent(self.completed, self.assigned)


@dataclass(frozen=True)
class MemberRow:
    user: Any
    assigned: int
    completed: int
    in_progress: int
    overdue: int
    labs_solved: int
    mean_best_quiz: float | None
    last_activity_at: datetime | None

    @property
    def completion_percent(self) -> int | None:
        return _percent(self.completed, self.assigned)

    @property
    def quiz_percent(self) -> int | None:
        return None if self.mean_best_quiz is None else round(self.mean_best_quiz)

    @property
    def activity_timestamp(self) -> int:
        """Seconds since the epoch (0: never), what the table's script sorts by."""
        return int(self.last_activity_at.timestamp()) if self.last_activity_at else 0


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    assigned: int
    completed: int
    in_progress: int
    not_started: int
    overdue: int

    @property
    def completion_percent(self) -> int | None:
        return _percent(self.completed, self.assigned)


class MemberSort(models.TextChoices):
    """Columns the member table can be ordered by (``?sort=key`` or ``?sort=-key``)."""

    NAME = "name", "Member"
    COMPLETION = "completion", "Completion"
    OVERDUE = "overdue", "Overdue"
    LABS = "labs", "Labs solved"
    QUIZ = "quiz", "Mean best quiz"
    ACTIVITY = "activity", "Last activity"


def _sort_key(sort: MemberSort) -> Any:
    """Key functions put missing values last when ascending (and first when descending)."""
    if sort == MemberSort.NAME:
        return lambda r: (r.user.name.casefold(), r.user.email)
    if sort == MemberSort.COMPLETION:
        return lambda r: (r.completion_percent is None, r.completion_percent or 0)
    if sort == MemberSort.OVERDUE:
        return lambda r: r.overdue
    if sort == MemberSort.LABS:
        return lambda r: r.labs_solved
    if sort == MemberSort.QUIZ:
        return lambda r: (r.mean_best_quiz is None, r.mean_best_quiz or 0.0)
    return lambda r: (r.last_activity_at is None, r.last_activity_at or datetime.min)


def parse_sort(value: str | None) -> tuple[MemberSort, bool]:
    """``?sort=`` as (column, descending); anything unknown falls back to the name column."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in MemberSort.values:
        return MemberSort.NAME, False
    return MemberSort(key), descending


@dataclass(frozen=True)
class Dashboard:
    team: Team
    grid: ProgressGrid
    summary: Summary
    members: list[MemberRow]
    assignments: list[AssignmentRow]
    sort: MemberSort
    descending: bool


def team_dashboard(*, team: Team, sort: str | None = None) -> Dashboard:
    """Everything the dashboard shows above the chart and the weakness map."""
    grid = assignment_progress(team=team)
    user_ids = {u.pk for u in grid.members}
    solved = lab_selectors.labs_solved_counts(user_ids=user_ids) if user_ids else {}
    quiz_means = course_selectors.mean_best_quiz_scores(user_ids=user_ids) if user_ids else {}

    member_rows = []
    for user in grid.members:
        statuses = [grid.status(a, user) for a in grid.assignments_of(user)]
        times = [s.last_activity_at for s in statuses if s.last_activity_at]
        member_rows.append(
            MemberRow(
                user=user,
                assigned=len(statuses),
                completed=sum(s.state == ItemState.COMPLETED for s in statuses),
                in_progress=sum(s.state == ItemState.IN_PROGRESS for s in statuses),
                overdue=sum(s.overdue for s in statuses),
                labs_solved=solved.get(user.pk, 0),
                mean_best_quiz=quiz_means.get(user.pk),
                last_activity_at=max(times) if times else None,
            )
        )
    assignment_rows = []
    for assignment in grid.assignments:
        statuses = [grid.status(assignment, u) for u in grid.assignees_of(assignment)]
        assignment_rows.append(
            AssignmentRow(
                assignment=assignment,
                assigned=len(statuses),
                completed=sum(s.state == ItemState.COMPLETED for s in statuses),
                in_progress=sum(s.state == ItemState.IN_PROGRESS for s in statuses),
                not_started=sum(s.state == ItemState.NOT_STARTED for s in statuses),
                overdue=sum(s.overdue for s in statuses),
            )
        )
    means = [m for m in quiz_means.values() if m is not None]
    summary = Summary(
        members=len(grid.members),
        assigned=sum(r.assigned for r in member_rows),
        completed=sum(r.completed for r in member_rows),
        overdue=sum(r.overdue for r in member_rows),
        labs_solved=sum(solved.values()),
        mean_best_quiz=sum(means) / len(means) if means else None,
    )
    column, descending = parse_sort(sort)
    member_rows.sort(key=_sort_key(MemberSort.NAME))
    member_rows.sort(key=_sort_key(column), reverse=descending)
    return Dashboard(team, grid, summary, member_rows, assignment_rows, column, descending)
