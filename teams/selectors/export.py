"""The CSV export: one row per member and assigned item, the same figures as the dashboard
(read from the same progress grid)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from teams.models import Team
from teams.selectors.progress import ItemStatus, assignment_progress

HEADER = (
    "member",
    "email",
    "kind",
    "item",
    "due",
    "status",
    "overdue",
    "late",
    "best_score",
    "attempts",
    "first_activity",
    "last_activity",
    "completed_at",
)

#: A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text, with a leading quote if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _score(status: ItemStatus) -> str:
    if status.best_score is None:
        return ""
    return f"{status.best_score:g}"


def export_rows(*, team: Team) -> Iterator[list[str]]:
    """The header, then member x applicable assignment rows (queries run on the first row)."""
    yield list(HEADER)
    grid = assignment_progress(team=team)
    for user in grid.members:
        for assignment in grid.assignments_of(user):
            status = grid.status(assignment, user)
            yield [
                safe_cell(cell)
                for cell in (
                    user.name,
                    user.email,
                    assignment.kind,
                    assignment.target_title,
                    _when(assignment.due_at),
                    status.state,
                    "yes" if status.overdue else "no",
                    "yes" if status.late else "no",
                    _score(status),
                    status.attempts,
                    _when(status.first_activity_at),
                    _when(status.last_activity_at),
                    _when(status.completed_at),
                )
            ]
