"""Helpers for the hidden checks: call Billfold as one account or another."""

from __future__ import annotations

import uuid

import httpx
import pytest

TOKENS = {"alex": "bf_alex_4e1f0a9c2b7d", "blake": "bf_blake_93c5d2e81a06"}
# Morgan's seeded invoices (ids 3 and 5): nobody else may see them; the first holds the flag.
MORGAN_IDS = ("3", "5")
MORGAN_TEXTS = ("Osprey Capital", "Pitch deck redesign", "Larkspur Studio", "MR-2026-11")


def auth(username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKENS[username]}"}


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


def new_invoice(client: httpx.Client, username: str, **fields: str) -> dict:
    """Create an invoice as ``username`` and return it as the API answered."""
    payload = {
        "number": unique(username.upper())[:30],
        "client_name": unique("Client of " + username),
        "description": unique("Private work for " + username),
        "amount": "420.00",
        "currency": "GBP",
        "due_on": "2026-12-24",
        "notes": unique("note of " + username),
    }
    payload.update(fields)
    response = client.post("/invoices", json=payload, headers=auth(username))
    assert response.status_code == 201, response.text
    return response.json()


def secrets_of(invoice: dict) -> list[str]:
    return [invoice["client_name"], invoice["description"], invoice["notes"]]


@pytest.fixture
def blakes_invoice(app_client: httpx.Client) -> dict:
    """A fresh invoice of Blake's, with the id that Blake's own list gives it."""
    invoice = new_invoice(app_client, "blake")
    listed = app_client.get("/invoices", headers=auth("blake")).json()
    assert invoice["id"] in [row["id"] for row in listed], "Blake's new invoice is not listed"
    return invoice
