"""The team's accounts and expenses, kept in memory and seeded on start."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from dataclasses import dataclass, field
from datetime import date

SALT = b"tallybook-demo-salt"


def _hash(password: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 10_000)


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str  # "admin" (finance) or "member"
    password_hash: bytes = field(repr=False)

    def check_password(self, password: str) -> bool:
        return hmac.compare_digest(self.password_hash, _hash(password))


USERS = {
    user.username: user
    for user in [
        User("maya", "Maya Okafor", "admin", _hash("Quarter-Close-Rocks-91")),
        User("ben", "Ben Hartley", "member", _hash("ledger-ben-2026")),
        User("chloe", "Chloé Marchand", "member", _hash("croissant&coffee")),
    ]
}

CATEGORIES = ("travel", "meals", "equipment", "software")

_lock = threading.Lock()
EXPENSES: list[dict] = [
    {
        "id": 1,
        "owner": "ben",
        "description": "Train to Leeds, client visit",
        "amount_cents": 8450,
        "category": "travel",
        "spent_on": "2026-11-03",
        "approved_by": "maya",
    },
    {
        "id": 2,
        "owner": "ben",
        "description": "USB-C dock",
        "amount_cents": 12999,
        "category": "equipment",
        "spent_on": "2026-11-10",
        "approved_by": "maya",
    },
    {
        "id": 3,
        "owner": "chloe",
        "description": "Team lunch after the release",
        "amount_cents": 15620,
        "category": "meals",
        "spent_on": "2026-11-14",
        "approved_by": "maya",
    },
    {
        "id": 4,
        "owner": "chloe",
        "description": "Figma seat (annual)",
        "amount_cents": 18000,
        "category": "software",
        "spent_on": "2026-11-18",
        "approved_by": None,
    },
    {
        "id": 5,
        "owner": "maya",
        "description": "Hotel in Lyon, two nights",
        "amount_cents": 31200,
        "category": "travel",
        "spent_on": "2026-11-21",
        "approved_by": "maya",
    },
]


def expenses_for(user: User) -> list[dict]:
    """Finance sees every expense; everyone else sees their own."""
    with _lock:
        rows = [dict(e) for e in EXPENSES if user.role == "admin" or e["owner"] == user.username]
    return sorted(rows, key=lambda e: e["id"])


def expense_add(*, owner: str, description: str, amount_cents: int, category: str) -> dict:
    with _lock:
        row = {
            "id": max(e["id"] for e in EXPENSES) + 1,
            "owner": owner,
            "description": description,
            "amount_cents": amount_cents,
            "category": category,
            "spent_on": date.today().isoformat(),
            "approved_by": None,
        }
        EXPENSES.append(row)
    return dict(row)


def totals_by_category() -> dict[str, int]:
    with _lock:
        return {
            c: sum(e["amount_cents"] for e in EXPENSES if e["category"] == c) for c in CATEGORIES
        }


def company_settings() -> dict:
    """What the finance page shows: the account reimbursements are paid from."""
    return {
        "company": "Northwind Studio Ltd",
        "payout_account": {"bank": "Harbour Bank", "iban": "GB33HRBR20201555555555"},
        # The key the bank's payout API accepts; set in the deployment's environment.
        "payout_api_key": os.environ.get("LAB_FLAG", ""),
    }


# Boards shared on screens without a login: share code -> the owner whose board it shows.
SHARED_BOARDS = {"kitchen-screen": "maya"}
