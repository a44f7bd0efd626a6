"""Helpers for the hidden checks: sign in as one traveller or another and send forms with CSRF."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

PASSWORDS = {"alex": "packlight-alex-2026", "blake": "packlight-blake-2026"}
# Morgan's seeded trips (ids 3 and 5): nobody else may see them; the first holds the flag.
MORGAN_IDS = ("3", "5")
MORGAN_TEXTS = ("Two weeks in Kyoto", "Key safe by the back door", "Sister's wedding", "cabin 4112")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TRIP_LINK = re.compile(
    r'<li class="trip" data-trip-id="[^"]*">\s*<a class="trip-title" href="([^"]+)"'
)

# Signing in is slow on purpose, so each traveller signs in once per run and the checks reuse the
# cookies it gave them.
_SESSIONS: dict[str, list[tuple[str, str, str, str]]] = {}


def sign_in(client: httpx.Client, username: str, *, fresh: bool = False) -> None:
    """Drop whatever session the client had and sign in as ``username``."""
    client.cookies.clear()
    if not fresh and username in _SESSIONS:
        for name, value, domain, path in _SESSIONS[username]:
            client.cookies.set(name, value, domain=domain, path=path)
        return
    form = client.get("/accounts/login/")
    assert form.status_code == 200
    token = CSRF_INPUT.search(form.text)
    assert token, "the sign-in form has no CSRF token"
    response = client.post(
        "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORDS[username],
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code == 302, f"{username} could not sign in: {response.status_code}"
    if not fresh:  # a fresh session is one a check may sign out of
        _SESSIONS[username] = [(c.name, c.value, c.domain, c.path) for c in client.cookies.jar]


def post_form(client: httpx.Client, url: str, data: dict[str, str] | None = None) -> httpx.Response:
    """POST a form the way a browser does: with the CSRF cookie's token in the body."""
    body = dict(data or {})
    tokens = [cookie.value for cookie in client.cookies.jar if cookie.name == "csrftoken"]
    body["csrfmiddlewaretoken"] = tokens[-1] if tokens else ""
    return client.post(url, data=body)


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:8]}"


def trip_form(**fields: str) -> dict[str, str]:
    data = {
        "title": unique("Weekend away"),
        "destination": unique("Somewhere"),
        "starts_on": "2027-10-01",
        "ends_on": "2027-10-03",
        "notes": unique("private note"),
    }
    data.update(fields)
    return data


def new_trip(client: httpx.Client, username: str, **fields: str) -> tuple[dict[str, str], str]:
    """Plan a trip as ``username`` with the form; return what was sent and its page URL."""
    sign_in(client, username)
    data = trip_form(**fields)
    response = post_form(client, "/trips/new/", data)
    assert response.status_code == 302, f"creating a trip answered {response.status_code}"
    return data, response.headers["location"]


def listed_urls(client: httpx.Client) -> list[str]:
    response = client.get("/")
    assert response.status_code == 200
    return TRIP_LINK.findall(response.text)


def trip_id(page_url: str) -> str:
    return page_url.rstrip("/").rsplit("/", 1)[-1]


def doors(page_url: str) -> list[str]:
    """Every GET that shows one trip: its page, edit form, delete page, calendar file and JSON."""
    base = page_url.rstrip("/")
    return [
        f"{base}/",
        f"{base}/edit/",
        f"{base}/delete/",
        f"{base}/calendar.ics",
        f"/api/trips/{trip_id(page_url)}/",
    ]


@pytest.fixture
def blakes_trip(app_client: httpx.Client) -> tuple[dict[str, str], str]:
    """A fresh trip of Blake's, and its page URL as Blake's own list links to it."""
    data, page = new_trip(app_client, "blake")
    assert page in listed_urls(app_client), "Blake's new trip is not on his list"
    return data, page
