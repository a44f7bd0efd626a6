"""Builds the in-memory database and fills it with the demo members and their cards."""

from __future__ import annotations

import os

from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction

from club.models import GiftCard, Member

# username, password, email, points
MEMBERS = [
    ("alice", "Flat-White-Forever-8", "alice@cuppa-mail.example", 4200),
    ("bob", "bob-likes-mocha", "bob@cuppa-mail.example", 350),
    ("mallory", "mallory-pass-1", "mallory@cuppa-mail.example", 20),
    ("dana", "dana-drinks-decaf", "dana@cuppa-mail.example", 900),
    ("erin", "erin-earl-grey", "erin@cuppa-mail.example", 60),
]


def build_database() -> None:
    # Create the tables straight from the models: much quicker than running every migration.
    with connection.schema_editor() as editor:
        for model in apps.get_models():
            editor.create_model(model)
    with transaction.atomic():
        users = {}
        for username, password, email, points in MEMBERS:
            user = User.objects.create_user(username, email, password)
            Member.objects.create(user=user, points=points)
            users[username] = user
        # Alice's birthday present for her sister, bought but not sent yet. The code is redeemable
        # at any till, so the site shows it to the recipient only.
        GiftCard.objects.create(
            buyer=users["alice"],
            amount=50,
            message="Happy birthday, Sis!",
            code=os.environ.get("LAB_FLAG", "CUPPA-DEMO-CODE"),
        )
        GiftCard.objects.create(
            buyer=users["bob"], amount=10, message="Thanks for the help", code="CUPPA-7Q2M-4HZX"
        )
        for amount, message, code in [
            (15, "Welcome to the team", "CUPPA-3KD8-PL2W"),
            (25, "Well done on the marathon", "CUPPA-9XRT-11BQ"),
        ]:
            GiftCard.objects.create(buyer=users["dana"], amount=amount, message=message, code=code)
        GiftCard.objects.create(
            buyer=users["erin"], amount=5, message="For the office", code="CUPPA-5ERN-0AAA"
        )
