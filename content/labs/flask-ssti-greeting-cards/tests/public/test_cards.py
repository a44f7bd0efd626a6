"""What Paper Kite does today. Run these before and after your fix: they should all pass.

``app_client`` is an httpx.Client that talks to your running app.
"""

from __future__ import annotations

import httpx

CARD = {
    "recipient": "Grandma",
    "message": "Happy 90th birthday! Save me a slice of cake.",
    "signature": "Love, Tom",
    "theme": "meadow",
}


def test_designer_page(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    assert 'name="message"' in response.text


def test_preview_shows_the_card(app_client: httpx.Client) -> None:
    response = app_client.post("/cards/preview", data=CARD)

    assert response.status_code == 200
    assert "Dear Grandma," in response.text
    assert "Save me a slice of cake." in response.text
    assert "theme-meadow" in response.text


def test_saved_card_has_a_link(app_client: httpx.Client) -> None:
    saved = app_client.post("/cards", data=CARD, follow_redirects=False)

    assert saved.status_code == 303
    page = app_client.get(saved.headers["location"])
    assert page.status_code == 200
    assert "Happy 90th birthday!" in page.text


def test_api_preview(app_client: httpx.Client) -> None:
    response = app_client.post("/api/cards/preview", json=CARD)

    assert response.status_code == 200
    assert "Love, Tom" in response.json()["html"]
