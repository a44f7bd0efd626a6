"""Invitations by e-mail: a single-use token that expires, accepted after sign-up or log-in.

Only a digest of the token is stored (``token_digest``), so the raw token exists only in the
e-mail and in the return value of the function that made it. Resending issues a new token,
which kills the old link.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.lib.mail import templated_email
from teams.models import Invitation, InvitationState, Membership, Role, Team, token_digest
from teams.services.teams import TeamError, _require_manager, membership_add


class InvitationError(Exception):
    """An invitation that cannot be made, sent or accepted; ``code`` says which case."""

    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WRONG_EMAIL = "wrong_email"
    REFUSED = "refused"

    def __init__(self, message: str, code: str = REFUSED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> Any:
    return timezone.now() + timedelta(days=settings.TEAM_INVITATION_DAYS)


def invitation_link(token: str, base_url: str = "") -> str:
    """The absolute link of a token: the requesting site's address when known, else SITE_URL."""
    base = (base_url or getattr(settings, "SITE_URL", "")).rstrip("/")
    return f"{base}{reverse('teams:invitation-accept', args=[token])}"


def _send(invitation_id: int, token: str, base_url: str) -> None:
    """E-mail the link; runs after the transaction commits, so a rolled-back invitation sends
    nothing."""
    invitation = Invitation.objects.select_related("team", "invited_by").get(pk=invitation_id)
    context = {
        "invitation": invitation,
        "team": invitation.team,
        "inviter": invitation.invited_by,
        "link": invitation_link(token, base_url),
        "expires_at": invitation.expires_at,
    }
    templated_email(
        template="emails/teams/invitation", context=context, to=[invitation.email]
    ).send()


def _queue_send(invitation: Invitation, token: str, base_url: str) -> None:
    transaction.on_commit(lambda: _send(invitation.pk, token, base_url))


def _is_member_address(team: Team, email: str) -> bool:
    return (
        Membership.objects.filter(team=team)
        .filter(Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email))
        .exists()
    )


def _as_manager(team: Team, by: Any) -> None:
    try:
        _require_manager(team, by)
    except TeamError as exc:
        raise InvitationError(str(exc)) from exc


@transaction.atomic
def invitation_create(
    *, team: Team, email: str, role: str, invited_by: Any, base_url: str = ""
) -> tuple[Invitation, str]:
    """Invite an address to the team and e-mail it a link; returns the invitation and the raw
    token. An open invitation for the same address is renewed (new token, new expiry) rather
    than duplicated; an address already in the team is refused."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except Exception as exc:
        raise InvitationError("Enter a valid e-mail address.") from exc
    if role not in Role.values:
        raise InvitationError("Unknown role.")
    _as_manager(team, invited_by)
    if _is_member_address(team, email):
        raise InvitationError(f"{email} is already a member of {team.name}.")
    token = _new_token()
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(team=team, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    team=team,
                    email=email,
                    role=role,
                    token_hash=token_digest(token),
                    invited_by=invited_by,
                    created_at=now,
                    sent_at=now,
                    send_count=1,
                    expires_at=_expiry(),
                )
        except IntegrityError as exc:  # a concurrent invitation of the same address
            raise InvitationError(f"{email} was just invited; see the list below.") from exc
    else:
        invitation.role = role
        invitation.invited_by = invited_by
        invitation.token_hash = token_digest(token)
        invitation.sent_at = now
        invitation.send_count += 1
        invitation.expires_at = _expiry()
        invitation.save()
    _queue_send(invitation, token, base_url)
    return invitation, token


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by: Any, base_url: str = ""
) -> tuple[Invitation, str]:
    """Send the invitation again with a new token and expiry; the old link stops working."""
    invitation = Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
    _as_manager(invitation.team, by)
    if invitation.accepted_at:
        raise InvitationError("This invitation was already accepted.", InvitationError.USED)
    if invitation.revoked_at:
        raise InvitationError(
            "This invitation was revoked; invite the address again instead.",
            InvitationError.REVOKED,
        )
    token = _new_token()
    invitation.token_hash = token_digest(token)
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation.expires_at = _expiry()
    invitation.save(update_fields=["token_hash", "sent_at", "send_count", "expires_at"])
    _queue_send(invitation, token, base_url)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> Invitation:
    """Withdraw an invitation: its link stops working. Accepted ones are history and stay."""
    invitation = Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
    _as_manager(invitation.team, by)
    if invitation.accepted_at:
        raise InvitationError(
            "This invitation was already accepted; remove the member instead.",
            InvitationError.USED,
        )
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _refusal(invitation: Invitation | None) -> InvitationError:
    """Why this invitation cannot be accepted, in words the invitee understands."""
    if invitation is None:
        return InvitationError(
            "This invitation link is not valid. Check that you copied the whole link, or ask "
            "your manager for a new invitation.",
            InvitationError.UNKNOWN,
        )
    state = invitation.state
    if state == InvitationState.ACCEPTED:
        return InvitationError(
            "This invitation has already been used. If it was you, you are in the team: sign in "
            "to see it.",
            InvitationError.USED,
        )
    if state == InvitationState.REVOKED:
        return InvitationError(
            "This invitation was withdrawn by the team's manager. Ask them to invite you again.",
            InvitationError.REVOKED,
        )
    if state == InvitationState.PENDING:  # the link was replaced by a newer one meanwhile
        return _refusal(None)
    return InvitationError(
        f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
        "Ask the team's manager to send it again.",
        InvitationError.EXPIRED,
    )


def invitation_check(*, invitation: Invitation | None) -> None:
    """Raise the ``InvitationError`` that accepting this invitation would raise, if any
    (before the address check); pages use it to explain a dead link."""
    if invitation is None or invitation.state != InvitationState.PENDING:
        raise _refusal(invitation)


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    """Join the team the token invites to. Single use: the invitation is marked accepted by a
    conditional update, so two concurrent acceptances cannot both succeed. The person must own
    a verified address equal to the invited one."""
    digest = token_digest(token or "")
    invitation = Invitation.objects.select_related("team").filter(token_hash=digest).first()
    invitation_check(invitation=invitation)
    if invitation is None:  # pragma: no cover - invitation_check refused it above
        raise _refusal(None)
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise InvitationError(
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{user.email}. Sign out and sign in (or sign up) with {invitation.email}, or add "
            "and verify that address on your account.",
            InvitationError.WRONG_EMAIL,
        )
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        token_hash=digest,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:
        invitation.refresh_from_db()
        raise _refusal(invitation)
    return membership_add(team=invitation.team, user=user, role=invitation.role)
