"""Which vulnerability classes a team keeps getting wrong: members x classes, and the security
checks failed most within one class.

A cell is the share of that member's graded fixes on labs of that class that failed at least one
security check (the hole was still open), with the counts beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labs import selectors as lab_selectors
from teams.models import Membership, Role, Team

#: Upper bounds of the colour levels of a cell's failure share (0 = none failed).
LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)


def _level(share: float) -> int:
    return next(i for i, bound in enumerate(LEVELS) if share <= bound)


@dataclass(frozen=True)
class Cell:
    vulnerability_class: str
    graded: int
    failed: int
    share: float
    percent: int
    level: int  # 0..4 for the colour scale; the number is always shown as text too

    @classmethod
    def of(cls, vulnerability_class: str, graded: int, failed: int) -> Cell:
        """Figures computed once: a 500-row map reads each several times."""
        share = failed / graded if graded else 0.0
        return cls(vulnerability_class, graded, failed, share, round(100 * share), _level(share))


@dataclass(frozen=True)
class WeaknessRow:
    user: Any
    cells: list[Cell | None]  # one per class of the map, None when no graded fix


@dataclass(frozen=True)
class WeaknessMap:
    classes: list[tuple[str, str]]  # (value, label) of the classes anyone submitted fixes for
    rows: list[WeaknessRow]
    totals: list[Cell]  # the whole team, per class

    @property
    def is_empty(self) -> bool:
        return not self.classes


def _members(team: Team) -> list[Any]:
    rows = (
        Membership.objects.filter(team=team, role=Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    return [m.user for m in rows]


def weakness_map(*, team: Team, members: list[Any] | None = None) -> WeaknessMap:
    """Members x the classes they have graded fixes in (three queries; two when the page has
    already loaded the members, e.g. from its progress grid)."""
    members = _members(team) if members is None else members
    cells = lab_selectors.weakness_cells(user_ids={u.pk for u in members}) if members else {}
    present = {cls for _, cls in cells}
    classes = [(v, label) for v, label in lab_selectors.vulnerability_classes() if v in present]
    rows = []
    for user in members:
        row: list[Cell | None] = []
        for value, _ in classes:
            found = cells.get((user.pk, value))
            row.append(Cell.of(value, found.graded, found.failed_security) if found else None)
        rows.append(WeaknessRow(user, row))
    totals = []
    for value, _ in classes:
        mine = [c for (_, cls), c in cells.items() if cls == value]
        totals.append(
            Cell.of(value, sum(c.graded for c in mine), sum(c.failed_security for c in mine))
        )
    return WeaknessMap(classes, rows, totals)


def class_label(value: str) -> str | None:
    """The label of a vulnerability class, or None when there is no such class."""
    return dict(lab_selectors.vulnerability_classes()).get(value)


@dataclass(frozen=True)
class MemberWeakness:
    user: Any
    cell: Cell
    checks: list[Any]  # labs.selectors.FailedCheck, most failed first


@dataclass(frozen=True)
class WeaknessDetail:
    vulnerability_class: str
    label: str
    total: Cell
    checks: list[Any]  # team-wide, most failed first
    members: list[MemberWeakness]  # members with graded fixes in the class, worst share first


def weakness_detail(*, team: Team, vulnerability_class: str) -> WeaknessDetail | None:
    """The drill-down of one class (four queries); None for an unknown class."""
    label = class_label(vulnerability_class)
    if label is None:
        return None
    members = _members(team)
    ids = {u.pk for u in members}
    if not ids:
        return WeaknessDetail(
            vulnerability_class, label, Cell.of(vulnerability_class, 0, 0), [], []
        )
    cells = lab_selectors.weakness_cells(user_ids=ids)
    team_checks = lab_selectors.failed_security_checks(
        user_ids=ids, vulnerability_class=vulnerability_class
    )
    by_learner = lab_selectors.failed_security_checks_by_learner(
        user_ids=ids, vulnerability_class=vulnerability_class
    )
    rows = []
    for user in members:
        found = cells.get((user.pk, vulnerability_class))
        if found is None:
            continue
        cell = Cell.of(vulnerability_class, found.graded, found.failed_security)
        rows.append(MemberWeakness(user, cell, by_learner.get(user.pk, [])))
    rows.sort(key=lambda r: (-r.cell.share, -r.cell.failed, r.user.name.casefold()))
    total = Cell.of(
        vulnerability_class, sum(r.cell.graded for r in rows), sum(r.cell.failed for r in rows)
    )
    return WeaknessDetail(vulnerability_class, label, total, team_checks, rows)
