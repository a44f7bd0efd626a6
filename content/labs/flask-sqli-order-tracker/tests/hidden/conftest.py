"""Shared helpers for the hidden checks: the three doors to the order lookup, the two to search."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

COFFEE_ROW = re.compile(
    r'<li class="coffee" data-coffee-id="([^"]*)">\s*<strong class="coffee-name">(.*?)</strong>',
    re.DOTALL,
)
ORDER_SHOWN = re.compile(r'<section class="order" data-reference="([^"]*)"')


@dataclass(frozen=True)
class Lookup:
    """What one order lookup answered: found or not, and the raw body."""

    via: str
    status: int
    found: bool
    reference: str
    body: str


@dataclass(frozen=True)
class Results:
    via: str
    status: int
    names: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    body: str = ""


LookupDoor = Callable[[str, str], Lookup]
Search = Callable[..., Results]


@pytest.fixture
def lookup_doors(app_client: httpx.Client) -> list[LookupDoor]:
    """The tracking form (POST), the dispatch email's link (GET) and the JSON API."""

    def page(response: httpx.Response, via: str) -> Lookup:
        shown = ORDER_SHOWN.search(response.text)
        return Lookup(
            via,
            response.status_code,
            shown is not None,
            html.unescape(shown.group(1)) if shown else "",
            response.text,
        )

    def form(reference: str, email: str) -> Lookup:
        response = app_client.post("/orders/track", data={"reference": reference, "email": email})
        return page(response, "form")

    def link(reference: str, email: str) -> Lookup:
        response = app_client.get("/orders/track", params={"reference": reference, "email": email})
        return page(response, "link")

    def api(reference: str, email: str) -> Lookup:
        response = app_client.post(
            "/api/orders/lookup", json={"reference": reference, "email": email}
        )
        found = response.status_code == 200
        reference_shown = ""
        if found:
            body = response.json()
            found = isinstance(body, dict) and "reference" in body
            reference_shown = str(body.get("reference", "")) if found else ""
        return Lookup("api", response.status_code, found, reference_shown, response.text)

    return [form, link, api]


@pytest.fixture
def searches(app_client: httpx.Client) -> list[Search]:
    """The coffee page and the JSON API share one search, but each must be safe on its own."""

    def search_page(**params: str) -> Results:
        response = app_client.get("/", params=params)
        rows = COFFEE_ROW.findall(response.text)
        return Results(
            "page",
            response.status_code,
            [html.unescape(name) for _, name in rows],
            [coffee_id for coffee_id, _ in rows],
            response.text,
        )

    def search_api(**params: str) -> Results:
        response = app_client.get("/api/coffees", params=params)
        names: list[str] = []
        ids: list[str] = []
        if response.status_code == 200:
            rows = response.json()["results"]
            names = [str(row["name"]) for row in rows]
            ids = [str(row["id"]) for row in rows]
        return Results("api", response.status_code, names, ids, response.text)

    return [search_page, search_api]
