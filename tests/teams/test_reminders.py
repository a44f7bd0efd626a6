"""Reminder e-mails: due soon once, overdue once, never for finished work or people not assigned,
retried when sending failed, and run by Celery beat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from labs.models import Lab, LabSession
from labs.services import lab_session_start
from portal.models import User
from teams.models import Assignment, AssignmentKind, ReminderKind, ReminderSent, Team
from teams.services.reminders import OVERDUE_LOOKBACK, reminders_send
from tests.factories import UserFactory, make_team


@pytest.fixture
def team(alice: User, bob: User) -> Team:
    """Bob manages, Alice is a member."""
    return make_team(name="Payments squad", managers=[bob], members=[alice])


def assign(team: Team, lab: Lab, *, due_in: timedelta, assignees: list[User] | None = None):
    assignment = Assignment.objects.create(
        team=team,
        kind=AssignmentKind.LAB,
        lab=lab,
        due_at=timezone.now() + due_in,
        whole_team=not assignees,
    )
    if assignees:
        assignment.assignees.set(assignees)
    return assignment


def mails_to(user: User) -> list[EmailMultiAlternatives]:
    return [m for m in mail.outbox if user.email in m.to]


def test_due_soon_reminder_is_sent_once_with_links(team, alice, bob, flask_lab):
    assign(team, flask_lab, due_in=timedelta(hours=20))

    assert reminders_send() == 1
    assert reminders_send() == 0
    assert reminders_send(now=timezone.now() + timedelta(hours=1)) == 0

    [message] = mails_to(alice)
    assert "Due soon" in message.subject and team.name in message.subject
    assert flask_lab.title in message.body
    assert f"{settings.SITE_URL}{flask_lab.get_absolute_url()}" in message.body
    assert f"{settings.SITE_URL}/teams/{team.slug}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{settings.SITE_URL}/teams/{team.slug}/"' in html
    assert mails_to(bob) == []  # managers are not assignees
    assert ReminderSent.objects.filter(user=alice, kind=ReminderKind.DUE_SOON).count() == 1


def test_nothing_is_sent_before_the_due_soon_window(team, alice, flask_lab):
    hours = settings.TEAM_REMINDER_DUE_SOON_HOURS
    assign(team, flask_lab, due_in=timedelta(hours=hours + 2))

    assert reminders_send() == 0
    assert reminders_send(now=timezone.now() + timedelta(hours=3)) == 1
    assert "Due soon" in mails_to(alice)[0].subject


def test_overdue_reminder_is_sent_once_over_several_runs(team, alice, flask_lab):
    assignment = assign(team, flask_lab, due_in=-timedelta(hours=1))

    for hours_later in range(4):
        reminders_send(now=timezone.now() + timedelta(hours=hours_later))

    [message] = mails_to(alice)
    assert message.subject.startswith(f"[{settings.SITE_NAME}] Overdue in {team.name}")
    assert "past its due date" in message.body
    assert list(ReminderSent.objects.values_list("assignment", "user", "kind")) == [
        (assignment.pk, alice.pk, ReminderKind.OVERDUE)
    ]


def test_work_overdue_for_weeks_is_not_chased_by_email(team, alice, flask_lab):
    assign(team, flask_lab, due_in=-(OVERDUE_LOOKBACK + timedelta(hours=1)))

    assert reminders_send() == 0
    assert mail.outbox == []


def test_due_soon_then_overdue_are_two_reminders(team, alice, flask_lab):
    assign(team, flask_lab, due_in=timedelta(hours=5))

    reminders_send()
    reminders_send(now=timezone.now() + timedelta(hours=6))
    reminders_send(now=timezone.now() + timedelta(hours=7))

    subjects = [m.subject for m in mails_to(alice)]
    assert len(subjects) == 2
    assert "Due soon" in subjects[0] and "Overdue" in subjects[1]


def test_completed_work_gets_no_reminder(team, alice, flask_lab):
    assign(team, flask_lab, due_in=timedelta(hours=5))
    assign(team, flask_lab, due_in=-timedelta(days=1))  # and overdue
    session = lab_session_start(user=alice, lab=flask_lab)
    LabSession.objects.filter(pk=session.pk).update(solved_at=timezone.now(), score=100)

    assert reminders_send() == 0
    assert mail.outbox == []


def test_member_not_among_the_assignees_gets_nothing(team, alice, flask_lab):
    dave = UserFactory(email="dave@example.com")
    make_team_member(team, dave)
    assign(team, flask_lab, due_in=timedelta(hours=5), assignees=[alice])

    assert reminders_send() == 1
    assert len(mails_to(alice)) == 1
    assert mails_to(dave) == []


def test_outsider_and_other_teams_members_get_nothing(team, alice, charlie, flask_lab):
    make_team(name="Other team", members=[charlie])
    assign(team, flask_lab, due_in=timedelta(hours=5))

    reminders_send()

    assert mails_to(charlie) == []
    assert len(mails_to(alice)) == 1


def test_several_items_go_in_one_email(team, alice, flask_lab, django_lab):
    assign(team, flask_lab, due_in=-timedelta(hours=2))
    assign(team, django_lab, due_in=timedelta(hours=10))

    assert reminders_send() == 1

    [message] = mails_to(alice)
    assert flask_lab.title in message.body and django_lab.title in message.body
    assert "past its due date" in message.body and "due soon" in message.body
    assert ReminderSent.objects.filter(user=alice).count() == 2


def test_a_failed_send_is_retried_next_run(team, alice, flask_lab, monkeypatch):
    assign(team, flask_lab, due_in=-timedelta(hours=1))

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMultiAlternatives, "send", refuse)
        assert reminders_send() == 0
    assert not ReminderSent.objects.exists()  # not recorded as sent: nobody received it

    assert reminders_send() == 1
    assert len(mails_to(alice)) == 1
    assert ReminderSent.objects.count() == 1


def test_queries_do_not_grow_with_the_team(team, alice, flask_lab, django_lab):
    """A run where everything was already sent reads a fixed number of queries per team."""
    assign(team, flask_lab, due_in=-timedelta(hours=1))
    assign(team, django_lab, due_in=timedelta(hours=3))
    reminders_send()

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            reminders_send()
        return len(queries)

    small = counted()
    for n in range(8):
        person = UserFactory(email=f"member{n}@example.com")
        make_team_member(team, person)
    reminders_send()  # the new members' reminders
    assert counted() == small


def test_beat_schedule_runs_the_reminder_task():
    from portal.celery import app

    app.loader.import_default_modules()
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "reminder" in e["task"]]
    assert entries, "no reminder task in CELERY_BEAT_SCHEDULE"
    assert all(entry["task"] in app.tasks for entry in settings.CELERY_BEAT_SCHEDULE.values())
    assert entries[0]["schedule"] == 60 * settings.TEAM_REMINDER_INTERVAL_MINUTES


def test_task_sends_the_reminders(team, alice, flask_lab):
    from teams.tasks import send_reminders

    assign(team, flask_lab, due_in=timedelta(hours=5))

    assert send_reminders.apply().get() == 1
    assert len(mails_to(alice)) == 1


def make_team_member(team: Team, user: User) -> None:
    from teams.models import Membership, Role

    Membership.objects.create(team=team, user=user, role=Role.MEMBER)
