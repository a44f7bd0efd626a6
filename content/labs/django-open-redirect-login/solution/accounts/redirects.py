"""Where a member goes after logging in: back to a page of ours, or on to the forum.

Every Inkpot destination gets a one-time ticket in its address: the forum at
forum.inkpot.example and the reader app use it to sign the member in without a second password
prompt, and Inkpot's own pages simply ignore it.
"""

from __future__ import annotations

import secrets
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Ticket

FORUM_HOST = "forum.inkpot.example"


def inkpot_destination(request: HttpRequest, url: str | None) -> str | None:
    """``url`` if it is one of ours (a page of this site or the forum), else None.

    Django's own check reads the URL the way browsers do: ``///host``, ``https:host``, a
    backslash or a control character all count as another host, and the scheme must be http or
    https (https only, when this request came over https).
    """
    if url and url_has_allowed_host_and_scheme(
        url,
        allowed_hosts={request.get_host(), FORUM_HOST},
        require_https=request.is_secure(),
    ):
        return url
    return None


def with_ticket(url: str, user) -> str:
    ticket = Ticket.objects.create(user=user, token=secrets.token_urlsafe(24))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}ticket={ticket.token}"
