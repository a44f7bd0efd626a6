"""The admin: the same team operations as the pages, through the same services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams.models import Assignment, Invitation, InvitationState, Membership, ReminderSent, Role
from teams.services.invitations import invitation_create
from tests.factories import UserFactory, make_lab, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_() -> Client:
    root = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def team(alice, bob):
    return make_team(name="Blue team", managers=[bob], members=[alice])


def test_admin_pages_open(admin_client_, team, bob):
    invitation, _ = invitation_create(
        team=team, email="d@example.com", role="member", invited_by=bob
    )
    for url in [
        reverse("admin:teams_team_changelist"),
        reverse("admin:teams_team_change", args=[team.pk]),
        reverse("admin:teams_invitation_changelist"),
        reverse("admin:teams_invitation_change", args=[invitation.pk]),
        reverse("admin:teams_invitation_add"),
        reverse("admin:teams_assignment_changelist") + "?kind=lab",
        reverse("admin:teams_assignment_add"),
        reverse("admin:teams_remindersent_changelist"),
    ]:
        assert admin_client_.get(url).status_code == 200, url


def test_invitation_admin_never_shows_the_token(admin_client_, team, bob):
    invitation, token = invitation_create(team=team, email="d@example.com", role="member",
                                          invited_by=bob)  # fmt: skip
    for url in [
        reverse("admin:teams_invitation_changelist"),
        reverse("admin:teams_invitation_change", args=[invitation.pk]),
    ]:
        page = admin_client_.get(url).content.decode()
        assert token not in page and invitation.token_hash not in page
    assert (
        "Pending"
        in admin_client_.get(reverse("admin:teams_invitation_changelist")).content.decode()
    )


def test_add_invitation_through_the_admin_emails_a_link(
    admin_client_, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            reverse("admin:teams_invitation_add"),
            {"team": team.pk, "email": "dana@example.com", "role": Role.MEMBER},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "dana@example.com" and invitation.send_count == 1
    assert "/teams/join/" in mail.outbox[0].body


def test_resend_and_revoke_actions(admin_client_, team, bob, django_capture_on_commit_callbacks):
    invitation, old = invitation_create(team=team, email="d@example.com", role="member",
                                        invited_by=bob)  # fmt: skip
    url = reverse("admin:teams_invitation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_.post(url, {"action": "resend", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and len(mail.outbox) == 1 and old not in mail.outbox[0].body
    admin_client_.post(url, {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.REVOKED


def test_team_inline_keeps_a_manager(admin_client_, team, alice, bob):
    bob_in = Membership.objects.get(team=team, user=bob)
    alice_in = Membership.objects.get(team=team, user=alice)
    data = {
        "name": team.name,
        "slug": team.slug,
        "description": "",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "2",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": bob_in.pk,
        "memberships-0-team": team.pk,
        "memberships-0-user": bob.pk,
        "memberships-0-role": Role.MEMBER,
        "memberships-0-joined_at_0": "2026-01-01",
        "memberships-0-joined_at_1": "10:00:00",
        "memberships-1-id": alice_in.pk,
        "memberships-1-team": team.pk,
        "memberships-1-user": alice.pk,
        "memberships-1-role": Role.MEMBER,
        "memberships-1-joined_at_0": "2026-01-01",
        "memberships-1-joined_at_1": "10:00:00",
    }
    response = admin_client_.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    assert "at least one manager" in response.content.decode()
    assert Membership.objects.get(pk=bob_in.pk).role == Role.MANAGER


def _assignment_data(team, **extra):
    due = timezone.localtime() + timedelta(days=3)
    return {
        "team": team.pk,
        "whole_team": "on",
        "due_at_0": due.strftime("%Y-%m-%d"),
        "due_at_1": due.strftime("%H:%M:%S"),
        "note": "",
        **extra,
    }


def test_assignment_admin_applies_the_service_rules(admin_client_, team, charlie):
    lab = make_lab("team-sqli")
    draft = make_lab("draft-lab", published=False)
    url = reverse("admin:teams_assignment_add")
    refused = admin_client_.post(url, _assignment_data(team, kind="lab", lab=draft.pk))
    assert refused.status_code == 200 and "Only published" in refused.content.decode()
    stranger = admin_client_.post(
        url,
        {
            **_assignment_data(team, kind="lab", lab=lab.pk),
            "whole_team": "",
            "assignees": [charlie.pk],
        },
    )
    assert "Not in the team" in stranger.content.decode()
    mismatch = admin_client_.post(url, _assignment_data(team, kind="quiz", lab=lab.pk))
    assert mismatch.status_code == 200
    assert not Assignment.objects.exists()
    ok = admin_client_.post(url, _assignment_data(team, kind="lab", lab=lab.pk))
    assert ok.status_code == 302
    assert Assignment.objects.get().lab == lab


def test_reminders_are_read_only(admin_client_, team, alice, bob):
    lab = make_lab("team-sqli")
    assignment = Assignment.objects.create(team=team, kind="lab", lab=lab, due_at=timezone.now())
    reminder = ReminderSent.objects.create(assignment=assignment, user=alice, kind="overdue")
    change = reverse("admin:teams_remindersent_change", args=[reminder.pk])
    page = admin_client_.get(change).content.decode()
    assert 'name="_save"' not in page
    assert admin_client_.get(reverse("admin:teams_remindersent_add")).status_code == 403
    assert admin_client_.post(reverse("admin:teams_remindersent_delete", args=[reminder.pk]),
                              {"post": "yes"}).status_code == 403  # fmt: skip
    assert ReminderSent.objects.filter(pk=reminder.pk).exists()
