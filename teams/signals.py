"""Accept a pending team invitation once the invitee signs in or confirms their address.

The join page keeps the raw token in the session of an anonymous visitor; after allauth logs
them in (or confirms the address that signing up sent a link to) the invitation is accepted when
the account owns the invited address, verified.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from teams.services.invitations import InvitationError, invitation_accept

#: Where the join page keeps the token of an invitation opened before signing in.
SESSION_KEY = "teams.pending_invitation"


def accept_pending(request: HttpRequest | None, user: Any, *, quiet: bool = False) -> None:
    """Accept the invitation waiting in the session for this person, and say what happened
    (``quiet``: say nothing about a wrong address, the log-in that follows will)."""
    if request is None or not hasattr(request, "session"):
        return
    token = request.session.get(SESSION_KEY)
    if not token or user is None:
        return
    try:
        membership = invitation_accept(token=token, user=user)
    except InvitationError as exc:
        if exc.code == InvitationError.WRONG_EMAIL:
            # Keep the token: the person may add and verify the invited address next.
            if not quiet:
                messages.warning(request, exc.message)
            return
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Welcome to {membership.team.name}! You joined the team.")
    request.session.pop(SESSION_KEY, None)


def on_user_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    accept_pending(request, user)


def on_email_confirmed(
    sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any
) -> None:
    """Confirming an address may come before the log-in it triggers; only act for the person
    whose address it is (not, say, an admin verifying someone else's)."""
    if request is None:
        return
    current = getattr(request, "user", None)
    if current is not None and current.is_authenticated and current.pk != email_address.user_id:
        return
    accept_pending(request, email_address.user, quiet=True)
