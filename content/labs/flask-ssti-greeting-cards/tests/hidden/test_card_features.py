"""Functional checks: designing, previewing, saving and sharing cards all still work."""

from __future__ import annotations

import httpx

THEMES = {"sunrise": "Sunrise", "meadow": "Meadow", "harbour": "Harbour", "confetti": "Confetti"}


def test_designer_offers_every_theme(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    for field in ("recipient", "message", "signature", "theme"):
        assert f'name="{field}"' in response.text, field
    for value, label in THEMES.items():
        assert f'value="{value}"' in response.text, value
        assert label in response.text, label


def test_every_door_shows_the_card(doors) -> None:
    for door in doors:
        for theme in THEMES:
            drawn = door(
                recipient="Grandma",
                message="Happy 90th birthday!",
                signature="Love, Tom",
                theme=theme,
            )
            assert drawn.status == 200, (drawn.via, theme)
            assert f'class="card theme-{theme}"' in drawn.card_html, (drawn.via, theme)
            assert drawn.shown("recipient") == "Grandma", drawn.via
            assert drawn.shown("message") == "Happy 90th birthday!", drawn.via
            assert drawn.shown("signature") == "Love, Tom", drawn.via
            assert "Sent with Paper Kite" in drawn.card_html, drawn.via


def test_text_is_shown_exactly_as_typed(doors) -> None:
    texts = [
        "Happy birthday {Sam}!",
        "Tom & Jerry say hi",
        "I <3 you, and the cat does too",
        '"Break a leg," she said.',
        "100% proud of you",
        "Félicitations, Zoë! 🎉",
        "Menu: {pizza, chips}",
    ]
    for door in doors:
        for text in texts:
            drawn = door(message=text, signature=text[:60], recipient="Sam & Alex")
            assert drawn.status == 200, (drawn.via, text)
            assert drawn.shown("message") == text, (drawn.via, text)
            assert drawn.shown("signature") == text[:60], (drawn.via, text)
            assert drawn.shown("recipient") == "Sam & Alex", (drawn.via, text)


def test_preview_can_be_saved_and_shared(app_client: httpx.Client) -> None:
    card = {
        "recipient": "Noor",
        "message": "Welcome to the neighbourhood!",
        "signature": "Flat 3",
        "theme": "harbour",
    }
    preview = app_client.post("/cards/preview", data=card)
    assert preview.status_code == 200
    for field, value in card.items():
        assert f'name="{field}" value="{value}"' in preview.text, field

    saved = app_client.post("/cards", data=card, follow_redirects=False)

    assert saved.status_code == 303
    location = saved.headers["location"]
    assert location.startswith("/cards/")
    page = app_client.get(location)
    assert page.status_code == 200
    assert "Welcome to the neighbourhood!" in page.text
    assert "theme-harbour" in page.text
    assert app_client.get(location).text == page.text, "a shared card looks the same every time"


def test_unknown_card_is_not_found(app_client: httpx.Client) -> None:
    assert app_client.get("/cards/987654").status_code == 404
    assert app_client.get("/cards/not-a-number").status_code == 404


def test_missing_or_overlong_fields_are_explained(app_client: httpx.Client) -> None:
    card = {"recipient": "Sam", "message": "Hi", "signature": "Ana", "theme": "sunrise"}
    for path in ("/cards/preview", "/cards"):
        empty = app_client.post(path, data={**card, "message": "   "})
        assert empty.status_code == 400, path
        assert "Write something here." in empty.text, path
        long = app_client.post(path, data={**card, "recipient": "x" * 61})
        assert long.status_code == 400, path
        assert "Keep it under 60 characters." in long.text, path
    api = app_client.post("/api/cards/preview", json={"recipient": "Sam", "message": "x" * 501})
    assert api.status_code == 400
    assert set(api.json()["errors"]) == {"message", "signature"}


def test_unknown_theme_is_refused(app_client: httpx.Client) -> None:
    card = {"recipient": "Sam", "message": "Hi", "signature": "Ana", "theme": "neon"}
    page = app_client.post("/cards/preview", data=card)
    assert page.status_code == 400
    assert "Pick one of: sunrise, meadow, harbour, confetti." in page.text
    api = app_client.post("/api/cards/preview", json=card)
    assert api.status_code == 400
    assert set(api.json()["errors"]) == {"theme"}


def test_api_returns_the_card_html(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/cards/preview",
        json={"recipient": "Ines", "message": "Get well soon", "signature": "Rui"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    card_html = response.json()["html"]
    assert card_html.startswith('<article class="card theme-sunrise">')
    assert '<p class="to">Dear Ines,</p>' in card_html
    assert '<p class="message">Get well soon</p>' in card_html


def test_health_endpoint_reports_ok(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
