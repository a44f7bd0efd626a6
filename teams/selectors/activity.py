"""The team's activity per week over the last weeks: one data set for the chart and its table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from courses import selectors as course_selectors
from labs import selectors as lab_selectors
from teams.models import Membership, Role, Team

WEEKS = 8

#: The series, in the order the chart and the table show them: (key, label).
SERIES = (
    ("quiz_attempts", "Quiz attempts finished"),
    ("submissions_graded", "Fix submissions graded"),
    ("labs_solved", "Labs solved"),
    ("articles_read", "Articles read"),
)


@dataclass(frozen=True)
class ActivityWeek:
    start: date  # the Monday the week begins
    counts: dict[str, int]

    @property
    def values(self) -> list[int]:
        return [self.counts[key] for key, _ in SERIES]


@dataclass(frozen=True)
class Activity:
    weeks: list[ActivityWeek]

    @property
    def series(self) -> tuple[tuple[str, str], ...]:
        return SERIES

    @property
    def total(self) -> int:
        return sum(sum(w.values) for w in self.weeks)

    def chart_data(self) -> dict[str, Any]:
        """What the chart script draws: week labels and one data set per series."""
        return {
            "labels": [f"{w.start:%d %b}" for w in self.weeks],
            "weeks": [w.start.isoformat() for w in self.weeks],
            "datasets": [
                {"key": key, "label": label, "data": [w.counts[key] for w in self.weeks]}
                for key, label in SERIES
            ],
        }


def team_activity(*, team: Team, weeks: int = WEEKS, now: datetime | None = None) -> Activity:
    """Members' activity per week, oldest week first, the current week last (five queries)."""
    today = timezone.localdate(now or timezone.now())
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first_monday, time.min))
    user_ids = set(
        Membership.objects.filter(team=team, role=Role.MEMBER).values_list("user_id", flat=True)
    )
    per_day: dict[str, dict[date, int]] = {}
    if user_ids:
        per_day.update(course_selectors.learning_activity_by_day(user_ids=user_ids, since=since))
        per_day.update(lab_selectors.lab_activity_by_day(user_ids=user_ids, since=since))
    starts = [first_monday + timedelta(weeks=i) for i in range(weeks)]
    buckets = {start: dict.fromkeys((key for key, _ in SERIES), 0) for start in starts}
    for key, days in per_day.items():
        for day, count in days.items():
            start = day - timedelta(days=day.weekday())
            if start in buckets:
                buckets[start][key] += count
    return Activity([ActivityWeek(start, buckets[start]) for start in starts])
