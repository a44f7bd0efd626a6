"""Invitations: e-mailed single-use links that expire, renewals, revocation, the address check."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.utils import timezone

from teams.models import Invitation, InvitationState, Membership, Role
from teams.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from tests.factories import UserFactory, make_team


@pytest.fixture
def team(bob, alice):
    return make_team(name="Blue", managers=[bob], members=[alice])


def _invite(team, bob, email="dana@example.com", role=Role.MEMBER):
    return invitation_create(team=team, email=email, role=role, invited_by=bob)


def test_invitation_emails_a_link_and_stores_only_a_digest(
    team, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invitation_create(
            team=team, email=" Dana@Example.com ", role=Role.MEMBER, invited_by=bob,
            base_url="https://patchwise.test",
        )  # fmt: skip
    assert invitation.email == "dana@example.com"
    assert token not in invitation.token_hash
    assert invitation.state == InvitationState.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "Blue" in message.subject
    assert f"https://patchwise.test/teams/join/{token}/" in message.body
    assert f"/teams/join/{token}/" in message.alternatives[0][0]


def test_no_email_when_the_transaction_rolls_back(team, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(team, bob)
    assert len(callbacks) == 1 and mail.outbox == []


def test_expiry_follows_the_setting(team, bob, settings):
    settings.TEAM_INVITATION_DAYS = 3
    invitation, _ = _invite(team, bob)
    delta = invitation.expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < delta <= timedelta(days=3)


def test_inviting_a_member_is_refused(team, bob, alice):
    with pytest.raises(InvitationError, match="already a member"):
        _invite(team, bob, email="ALICE@example.com")


def test_a_second_invitation_renews_the_open_one(team, bob):
    first, old_token = _invite(team, bob)
    second, new_token = _invite(team, bob, role=Role.MANAGER)
    assert first.pk == second.pk
    assert Invitation.objects.filter(team=team).count() == 1
    assert second.send_count == 2 and second.role == Role.MANAGER
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvitationError) as error:
        invitation_accept(token=old_token, user=dana)
    assert error.value.code == InvitationError.UNKNOWN
    assert invitation_accept(token=new_token, user=dana).role == Role.MANAGER


def test_only_managers_invite(team, alice):
    with pytest.raises(InvitationError, match="managers"):
        _invite(team, alice)


def test_accept_joins_the_team_once(team, bob):
    invitation, token = _invite(team, bob)
    dana = UserFactory(email="dana@example.com")
    membership = invitation_accept(token=token, user=dana)
    assert membership.team == team and membership.role == Role.MEMBER
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.ACCEPTED and invitation.accepted_by == dana
    with pytest.raises(InvitationError, match="already been used") as error:
        invitation_accept(token=token, user=dana)
    assert error.value.code == InvitationError.USED


def test_unknown_token_is_refused(team):
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvitationError, match="not valid") as error:
        invitation_accept(token="nope", user=dana)
    assert error.value.code == InvitationError.UNKNOWN


def test_revoked_invitation_is_refused_and_cannot_be_resent(team, bob):
    invitation, token = _invite(team, bob)
    invitation_revoke(invitation=invitation, by=bob)
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvitationError, match="withdrawn") as error:
        invitation_accept(token=token, user=dana)
    assert error.value.code == InvitationError.REVOKED
    with pytest.raises(InvitationError):
        invitation_resend(invitation=invitation, by=bob)
    assert not Membership.objects.filter(user=dana).exists()


def test_expired_invitation_is_refused(team, bob):
    invitation, token = _invite(team, bob)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvitationError, match="expired") as error:
        invitation_accept(token=token, user=dana)
    assert error.value.code == InvitationError.EXPIRED


def test_resend_kills_the_old_link_and_renews_expiry(team, bob, django_capture_on_commit_callbacks):
    invitation, old = _invite(team, bob)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        renewed, new = invitation_resend(invitation=invitation, by=bob)
    assert new != old and renewed.send_count == 2
    assert renewed.state == InvitationState.PENDING
    assert f"/teams/join/{new}/" in mail.outbox[-1].body
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvitationError):
        invitation_accept(token=old, user=dana)
    invitation_accept(token=new, user=dana)


def test_resend_refuses_an_accepted_invitation(team, bob):
    invitation, token = _invite(team, bob)
    invitation_accept(token=token, user=UserFactory(email="dana@example.com"))
    with pytest.raises(InvitationError, match="accepted"):
        invitation_resend(invitation=invitation, by=bob)


def test_another_address_is_refused(team, bob, charlie):
    _, token = _invite(team, bob)
    with pytest.raises(InvitationError, match=r"dana@example\.com") as error:
        invitation_accept(token=token, user=charlie)
    assert error.value.code == InvitationError.WRONG_EMAIL
    assert not Membership.objects.filter(team=team, user=charlie).exists()


def test_the_invited_address_must_be_verified(team, bob):
    _, token = _invite(team, bob)
    dana = UserFactory(email="dana@example.com", verified=False)
    with pytest.raises(InvitationError) as error:
        invitation_accept(token=token, user=dana)
    assert error.value.code == InvitationError.WRONG_EMAIL
    EmailAddress.objects.filter(user=dana).update(verified=True)
    assert invitation_accept(token=token, user=dana).team == team


def test_a_secondary_verified_address_is_enough(team, bob, charlie):
    _, token = _invite(team, bob)
    EmailAddress.objects.create(user=charlie, email="dana@example.com", verified=True)
    assert invitation_accept(token=token, user=charlie).team == team


@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptances_let_only_one_through():
    """The same link opened twice at once (a double click, two tabs): one acceptance joins, the
    other is told the link was used. Needs a database that runs the two at once (PostgreSQL)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    bob = UserFactory(email="bob@example.com")
    team = make_team(managers=[bob])
    _, token = _invite(team, bob)
    dana = UserFactory(email="dana@example.com")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def accept(user):
        barrier.wait()
        try:
            invitation_accept(token=token, user=user)
            outcomes.append("joined")
        except InvitationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(dana,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["joined", InvitationError.USED]
    assert Membership.objects.filter(team=team).count() == 2


def test_conditional_update_refuses_a_link_claimed_meanwhile(team, bob, monkeypatch):
    """The loser of a race read the invitation as pending just before the winner claimed it:
    skip the early check to put it in that place; the conditional update still refuses."""
    import teams.services.invitations as invitations

    invitation, token = _invite(team, bob)
    dana = UserFactory(email="dana@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=bob)
    monkeypatch.setattr(invitations, "invitation_check", lambda **kwargs: None)
    with pytest.raises(InvitationError) as error:
        invitation_accept(token=token, user=dana)
    assert error.value.code == InvitationError.USED
    assert not Membership.objects.filter(user=dana).exists()
