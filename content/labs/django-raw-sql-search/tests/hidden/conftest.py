"""Helpers for the hidden tests: run a search through the page or the API and read the results."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

BOOK_ID = re.compile(r'<li class="book" data-book-id="(\d+)"')
BOOK_TITLE = re.compile(r'<a class="book-title" href="[^"]*">([^<]*)</a>')


@dataclass(frozen=True)
class Results:
    """What one search returned: the status, the books listed (in order) and the raw body."""

    via: str
    status: int
    ids: list[int]
    titles: list[str]
    body: str


Search = Callable[..., Results]


@pytest.fixture
def search_api(app_client: httpx.Client) -> Search:
    def search(**params: str) -> Results:
        response = app_client.get("/api/books/", params=params)
        ids: list[int] = []
        titles: list[str] = []
        if response.status_code == 200:
            rows = response.json()["results"]
            ids = [row["id"] for row in rows]
            titles = [row["title"] for row in rows]
        return Results("api", response.status_code, ids, titles, response.text)

    return search


@pytest.fixture
def search_page(app_client: httpx.Client) -> Search:
    def search(**params: str) -> Results:
        response = app_client.get("/", params=params)
        body = response.text
        ids = [int(found) for found in BOOK_ID.findall(body)]
        titles = [html.unescape(found) for found in BOOK_TITLE.findall(body)]
        return Results("page", response.status_code, ids, titles, body)

    return search


@pytest.fixture
def both_searches(search_page: Search, search_api: Search) -> list[Search]:
    """The search page and the JSON API share one search, but each must be safe on its own."""
    return [search_page, search_api]
