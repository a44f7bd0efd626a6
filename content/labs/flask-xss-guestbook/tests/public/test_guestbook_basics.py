"""The guestbook's features, as walkers use them. Run these before and after your fix."""

from __future__ import annotations

import uuid

import httpx


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def test_guestbook_page_loads(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    assert "Sign the guestbook" in response.text


def test_signing_shows_the_entry_on_its_own_page(app_client: httpx.Client) -> None:
    message = unique("Windy on the ridge")

    response = app_client.post(
        "/sign",
        data={"author": "Ines", "hometown": "Porto", "message": message},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert message in response.text
    assert "Ines" in response.text


def test_bold_text_is_bold(app_client: httpx.Client) -> None:
    created = app_client.post(
        "/api/entries", json={"author": "Kai", "message": "The **soup** was great"}
    )

    assert created.status_code == 201
    page = app_client.get(f"/entries/{created.json()['id']}")
    assert "<strong>soup</strong>" in page.text


def test_fish_and_chips_stays_fish_and_chips(app_client: httpx.Client) -> None:
    created = app_client.post("/api/entries", json={"author": "Lou", "message": "Fish & chips"})

    assert created.json()["message"] == "Fish & chips"
    page = app_client.get(f"/entries/{created.json()['id']}")
    assert page.status_code == 200
    assert "chips" in page.text


def test_search_finds_an_entry(app_client: httpx.Client) -> None:
    word = unique("Ptarmigan")
    app_client.post("/api/entries", json={"author": "Eli", "message": f"Saw a {word}"})

    response = app_client.get("/search", params={"q": word})

    assert response.status_code == 200
    assert f"Saw a {word}" in response.text


def test_reporting_an_entry(app_client: httpx.Client) -> None:
    created = app_client.post("/api/entries", json={"author": "Ari", "message": "Spam spam"})

    response = app_client.post(f"/entries/{created.json()['id']}/report")

    assert response.status_code == 200
    assert "was reported" in response.text
