"""Reminder e-mails for team assignments: "due soon" before the due date, "overdue" after it.

Celery beat runs :func:`reminders_send` every ``TEAM_REMINDER_INTERVAL_MINUTES``. Whether an item
is finished is read from the same progress grid as the dashboard, so a reminder never nags about
work the manager sees as done. A :class:`~teams.models.ReminderSent` row per person, assignment and
kind (a unique key) makes each reminder go out at most once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from portal.lib.mail import templated_email
from portal.models import User
from teams.models import Assignment, ReminderKind, ReminderSent, Team
from teams.selectors.progress import ItemState, assignment_progress

logger = logging.getLogger(__name__)

#: Overdue reminders go out within this long after the due date. Later, chasing the work is a
#: conversation for the manager rather than an e-mail, and each run stays bounded: assignments
#: long past are not read at all.
OVERDUE_LOOKBACK = timedelta(days=14)


@dataclass(frozen=True)
class ReminderItem:
    """One line of a reminder e-mail: an assignment, which reminder it is, and where it lives."""

    assignment: Assignment
    kind: ReminderKind
    url: str

    @property
    def is_overdue(self) -> bool:
        return self.kind == ReminderKind.OVERDUE


def absolute_url(path: str) -> str:
    """A link that works from an e-mail: beat sends without a request, so SITE_URL is the base."""
    return f"{settings.SITE_URL}{path}"


def reminder_kind_at(assignment: Assignment, now: datetime) -> ReminderKind | None:
    """Which reminder an unfinished assignment calls for now: overdue once past its due date,
    due soon inside the window before it, none before that."""
    if assignment.is_overdue_at(now):
        return ReminderKind.OVERDUE
    if assignment.due_at - now <= timedelta(hours=settings.TEAM_REMINDER_DUE_SOON_HOURS):
        return ReminderKind.DUE_SOON
    return None


def reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders that are due and not yet sent; returns the number of e-mails sent.

    Reads a fixed number of queries per team (its candidate assignments come in one query for all
    teams, then one progress grid per team); only the reminders actually sent cost a write each.
    """
    now = now or timezone.now()
    window_end = now + timedelta(hours=settings.TEAM_REMINDER_DUE_SOON_HOURS)
    candidates = list(
        Assignment.objects.filter(due_at__lte=window_end, due_at__gt=now - OVERDUE_LOOKBACK)
        .select_related("team", "path", "quiz", "lab")
        .order_by("team_id", "due_at", "id")
    )
    by_team: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in candidates:
        if assignment.target is not None:  # a removed target cannot be worked on
            by_team[assignment.team_id].append(assignment)
    sent_before = set(
        ReminderSent.objects.filter(assignment__in=candidates).values_list(
            "assignment_id", "user_id", "kind"
        )
    )
    emails = 0
    for assignments in by_team.values():
        emails += _team_reminders_send(
            team=assignments[0].team, assignments=assignments, now=now, sent_before=sent_before
        )
    return emails


def _team_reminders_send(
    *,
    team: Team,
    assignments: list[Assignment],
    now: datetime,
    sent_before: set[tuple[int, int, str]],
) -> int:
    grid = assignment_progress(team=team, now=now)
    emails = 0
    for user in grid.members:
        if not user.is_active or not user.email:
            continue
        due: list[tuple[Assignment, ReminderKind]] = []
        for assignment in assignments:
            if not grid.applies(assignment, user):
                continue
            if grid.status(assignment, user).state == ItemState.COMPLETED:
                continue
            kind = reminder_kind_at(assignment, now)
            if kind is not None and (assignment.pk, user.pk, kind) not in sent_before:
                due.append((assignment, kind))
        if due and _person_remind(team=team, user=user, due=due, now=now):
            emails += 1
    return emails


def _person_remind(
    *, team: Team, user: User, due: list[tuple[Assignment, ReminderKind]], now: datetime
) -> bool:
    """Claim each reminder by inserting its row, then send one e-mail with the claimed ones.

    The row goes in first so that two overlapping runs (a slow run and the next beat tick) cannot
    both send: only the run whose insert created the row mails about it. If the e-mail then
    fails, the rows are deleted again, so the next run retries instead of the reminder being
    recorded as sent when nobody received it.
    """
    claimed: list[tuple[ReminderSent, ReminderItem]] = []
    for assignment, kind in due:
        with transaction.atomic():
            row, created = ReminderSent.objects.get_or_create(
                assignment=assignment, user=user, kind=kind, defaults={"sent_at": now}
            )
        if created:
            url = absolute_url(assignment.target.get_absolute_url())
            claimed.append((row, ReminderItem(assignment=assignment, kind=kind, url=url)))
    if not claimed:
        return False
    items = [item for _, item in claimed]
    try:
        _reminder_email(team=team, user=user, items=items).send(fail_silently=False)
    except Exception:
        logger.exception("reminder e-mail to user %s failed; it will be retried", user.pk)
        ReminderSent.objects.filter(pk__in=[row.pk for row, _ in claimed]).delete()
        return False
    return True


def _reminder_email(*, team: Team, user: User, items: list[ReminderItem]) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "team": team,
        "team_url": absolute_url(team.get_absolute_url()),
        "items": items,
        "overdue": [item for item in items if item.is_overdue],
        "due_soon": [item for item in items if not item.is_overdue],
    }
    return templated_email(template="emails/teams/reminder", context=context, to=[user.email])
