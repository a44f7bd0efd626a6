"""Builds Packlight's in-memory database and fills it with the demo travellers and their trips."""

from __future__ import annotations

import datetime
import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from trips.models import Trip

# The two demo accounts have known passwords; Morgan's is known to nobody.
USERS = [
    ("alex", "Alex", "Okafor", "packlight-alex-2026"),
    ("morgan", "Morgan", "Reyes", None),
    ("blake", "Blake", "Sørensen", "packlight-blake-2026"),
]


def _trips() -> list[tuple[str, str, str, datetime.date, datetime.date, str]]:
    # Patchwise plants a fresh flag in LAB_FLAG every time it starts the app.
    flag = os.environ.get("LAB_FLAG") or "FLAG{local-development-flag}"
    d = datetime.date
    return [
        (
            "alex",
            "Easter in Porto",
            "Porto, Portugal",
            d(2027, 3, 26),
            d(2027, 3, 30),
            "Flat on Rua das Flores, check-in after 3pm.",
        ),
        ("alex", "Lake District walk", "Keswick, UK", d(2027, 5, 14), d(2027, 5, 17), ""),
        (
            "morgan",
            "Two weeks in Kyoto",
            "Kyoto, Japan",
            d(2027, 4, 2),
            d(2027, 4, 16),
            f"House empty while we are away. Key safe by the back door, code {flag}. "
            "Marta waters the plants on Sundays.",
        ),
        (
            "blake",
            "Copenhagen design week",
            "Copenhagen, Denmark",
            d(2027, 6, 7),
            d(2027, 6, 11),
            "Hotel Ottilia, booking ref OTT-55120.",
        ),
        (
            "morgan",
            "Sister's wedding",
            "Galway, Ireland",
            d(2027, 8, 20),
            d(2027, 8, 23),
            "Ferry from Holyhead booked, cabin 4112.",
        ),
        (
            "alex",
            "Berlin conference",
            "Berlin, Germany",
            d(2027, 9, 8),
            d(2027, 9, 11),
            "Talk on Thursday morning.",
        ),
    ]


def build_database() -> None:
    """Create the tables and, the first time, fill them. Called once per server process."""
    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    if User.objects.exists():
        return
    with transaction.atomic():
        users = {}
        for username, first_name, last_name, password in USERS:
            users[username] = User.objects.create_user(
                username=username,
                first_name=first_name,
                last_name=last_name,
                password=password or secrets.token_urlsafe(24),
            )
        for owner, title, destination, starts_on, ends_on, notes in _trips():
            Trip.objects.create(
                owner=users[owner],
                title=title,
                destination=destination,
                starts_on=starts_on,
                ends_on=ends_on,
                notes=notes,
            )
