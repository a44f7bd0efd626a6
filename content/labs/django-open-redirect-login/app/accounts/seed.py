"""Builds the in-memory database and fills it with the demo members and their drafts."""

from __future__ import annotations

import os

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction

from accounts.models import Draft

# username, password, drafts (title, body)
MEMBERS = [
    (
        "nadia",
        "Inkwell-Harbour-1987",
        [
            (
                "The Lighthouse Keeper, chapter 12",
                "The ending nobody may read before the competition closes: "
                + os.environ.get("LAB_FLAG", "the keeper was the lighthouse all along"),
            ),
            ("Notes on pacing", "Shorter chapters in act two."),
        ],
    ),
    ("mallory", "mallory-pass-1", [("Ideas", "Something about a heist.")]),
    ("theo", "theo-writes-at-night", [("Poems, autumn", "Leaves, again.")]),
]


def build_database() -> None:
    # Create the tables straight from the models: much quicker than running every migration.
    with connection.schema_editor() as editor:
        for model in apps.get_models():
            editor.create_model(model)
    with transaction.atomic():
        for username, password, drafts in MEMBERS:
            user = User.objects.create_user(username, f"{username}@inkpot.example", password)
            for title, body in drafts:
                Draft.objects.create(owner=user, title=title, body=body)
