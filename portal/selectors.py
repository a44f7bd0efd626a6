"""What the site-shell pages read: the signed-in person's next steps and the health of services."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.models import User


@dataclass(frozen=True)
class NextStep:
    title: str
    detail: str
    url: str
    done: bool


def account_next_steps(*, user: User) -> list[NextStep]:
    """The account checklist on the home page: verified email and two-factor sign-in."""
    verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return [
        NextStep(
            title="Verify your email address",
            detail="We only send sign-in and progress emails to verified addresses.",
            url=reverse("account_email"),
            done=verified,
        ),
        NextStep(
            title="Turn on two-factor authentication",
            detail="An authenticator app code on top of your password protects your work.",
            url=reverse("mfa_index"),
            done=has_totp,
        ),
    ]


@dataclass(frozen=True)
class ServiceHealth:
    name: str
    ok: bool
    detail: str


def database_health() -> ServiceHealth:
    """Round-trip a trivial query; any failure means the site cannot serve pages."""
    vendor = connection.vendor
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the reason is shown to operators, not swallowed
        return ServiceHealth("database", False, f"{vendor}: {type(exc).__name__}")
    return ServiceHealth("database", True, vendor)


def broker_health() -> ServiceHealth:
    """Open (and close) a connection to the Celery broker, failing fast rather than retrying."""
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    scheme = url.split("://", 1)[0]
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        if scheme == "filesystem":
            # The filesystem transport "connects" even to a missing folder: check the folder.
            folder = Path(options["data_folder_in"])
            if not (folder.is_dir() and os.access(folder, os.W_OK)):
                raise OSError(f"{folder} is not a writable folder")
        else:
            with Connection(url, transport_options=options, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return ServiceHealth("broker", False, f"{scheme}: {type(exc).__name__}")
    return ServiceHealth("broker", True, scheme)
