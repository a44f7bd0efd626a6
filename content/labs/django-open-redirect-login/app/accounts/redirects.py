"""Where a member goes after logging in: back to a page of ours, or on to the forum.

Every Inkpot destination gets a one-time ticket in its address: the forum at
forum.inkpot.example and the reader app use it to sign the member in without a second password
prompt, and Inkpot's own pages simply ignore it.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.http import HttpRequest

from accounts.models import Ticket

FORUM_HOST = "forum.inkpot.example"


def inkpot_destination(request: HttpRequest, url: str | None) -> str | None:
    """``url`` if it is one of ours (a page of this site or the forum), else None."""
    if not url:
        return None
    host = urlsplit(url).netloc
    if host == "" or host == FORUM_HOST:  # a path on this site, or the forum
        return url
    return None


def with_ticket(url: str, user) -> str:
    ticket = Ticket.objects.create(user=user, token=secrets.token_urlsafe(24))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}ticket={ticket.token}"
