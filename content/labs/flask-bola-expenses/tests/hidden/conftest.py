"""Helpers for the hidden checks: sign in as one of the studio's people and find their expenses."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

PASSWORDS = {"alex": "receipts-alex-2026", "blake": "receipts-blake-2026"}
# Morgan's seeded expenses (ids 3 and 6): nobody else may see them; the first holds the flag.
MORGAN_IDS = ("3", "6")
MORGAN_NOTE = "Card PIN and online banking code"
MORGAN_OTHER = "Salary file sent on the 8th"
ROW = re.compile(r'<tr class="expense" data-expense-id="[^"]*">.*?<a href="([^"]+)">', re.S)


# Password checks are slow on purpose, so each person signs in once per run and the checks reuse
# the cookies that sign-in gave them.
_SESSIONS: dict[str, dict[str, str]] = {}


def sign_in(client: httpx.Client, username: str, *, fresh: bool = False) -> None:
    """Drop whatever session the client had and sign in as ``username``."""
    client.cookies.clear()
    if not fresh and username in _SESSIONS:
        for name, value in _SESSIONS[username].items():
            client.cookies.set(name, value)
        return
    response = client.post("/login", data={"username": username, "password": PASSWORDS[username]})
    assert response.status_code in (302, 303), f"{username} could not sign in"
    assert client.cookies, "signing in set no session cookie"
    if not fresh:  # a fresh session is one a check may sign out of
        _SESSIONS[username] = dict(client.cookies.items())


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


def new_expense(client: httpx.Client, username: str, **fields: str) -> dict:
    """File an expense through the API as ``username`` and return it as the API answered."""
    sign_in(client, username)
    payload = {
        "title": unique(f"{username} lunch"),
        "amount": "14.20",
        "category": "meals",
        "spent_on": "2026-11-02",
        "note": unique(f"private note of {username}"),
    }
    payload.update(fields)
    response = client.post("/api/expenses", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def page_urls(client: httpx.Client) -> list[str]:
    """The detail-page links on the signed-in person's list, whatever form their ids take."""
    response = client.get("/")
    assert response.status_code == 200
    return ROW.findall(response.text)


def doors(expense: dict, page_url: str) -> list[tuple[str, str]]:
    """Every GET that shows one expense: its API URL, its page, its edit form, its claim slip."""
    return [
        ("GET", expense["url"]),
        ("GET", page_url),
        ("GET", page_url.rstrip("/") + "/edit"),
        ("GET", page_url.rstrip("/") + "/receipt.txt"),
    ]


@pytest.fixture
def blakes_expense(app_client: httpx.Client) -> tuple[dict, str]:
    """A fresh expense of Blake's, with its API URL and its page URL as Blake's own list shows."""
    expense = new_expense(app_client, "blake")
    urls = page_urls(app_client)
    page = next((url for url in urls if url.rstrip("/").endswith(str(expense["id"]))), None)
    assert page is not None, "Blake's new expense is not on his list"
    return expense, page
