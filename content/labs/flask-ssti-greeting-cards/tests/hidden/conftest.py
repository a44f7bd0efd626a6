"""The three ways a card is drawn: the preview page, the JSON API, and a saved card's link."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest

CARD_PART = {
    "recipient": re.compile(r'<p class="to">Dear (.*?),</p>', re.DOTALL),
    "message": re.compile(r'<p class="message">(.*?)</p>', re.DOTALL),
    "signature": re.compile(r'<p class="from">(.*?)</p>', re.DOTALL),
}
BASE_CARD = {
    "recipient": "Priya",
    "message": "Congratulations on the new job!",
    "signature": "The whole team",
    "theme": "confetti",
}


@dataclass(frozen=True)
class Drawn:
    """One card as a door drew it: the status, the card's HTML (raw) and the whole body."""

    via: str
    status: int
    card_html: str
    body: str

    def shown(self, field: str) -> str | None:
        """The field's text as a reader sees it (entities decoded), or None if not on the card."""
        found = CARD_PART[field].search(self.card_html)
        return html.unescape(found.group(1)) if found else None

    def raw(self, field: str) -> str | None:
        found = CARD_PART[field].search(self.card_html)
        return found.group(1) if found else None


Door = Callable[..., Drawn]


@pytest.fixture
def doors(app_client: httpx.Client) -> list[Door]:
    def preview(**fields: object) -> Drawn:
        response = app_client.post("/cards/preview", data={**BASE_CARD, **fields})
        return Drawn("preview", response.status_code, response.text, response.text)

    def api(**fields: object) -> Drawn:
        response = app_client.post("/api/cards/preview", json={**BASE_CARD, **fields})
        card_html = ""
        if response.status_code == 200:
            body = response.json()
            card_html = body.get("html", "") if isinstance(body, dict) else ""
        return Drawn("api", response.status_code, str(card_html), response.text)

    def saved(**fields: object) -> Drawn:
        response = app_client.post("/cards", data={**BASE_CARD, **fields}, follow_redirects=False)
        if response.status_code != 303:
            return Drawn("saved", response.status_code, response.text, response.text)
        page = app_client.get(response.headers["location"])
        return Drawn("saved", page.status_code, page.text, response.text + page.text)

    return [preview, api, saved]
