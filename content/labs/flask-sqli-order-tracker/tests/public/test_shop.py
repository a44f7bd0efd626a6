"""What the shop does today. Run these before and after your fix: they should all pass.

``app_client`` is an httpx.Client that talks to your running app.
"""

from __future__ import annotations

import httpx


def test_coffee_list_shows_every_coffee(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    assert "10 coffees found" in response.text
    assert "Yirgacheffe Kochere" in response.text


def test_search_filter_and_sort_together(app_client: httpx.Client) -> None:
    response = app_client.get("/api/coffees", params={"q": "hond", "sort": "-price"})

    assert response.status_code == 200
    names = [coffee["name"] for coffee in response.json()["results"]]
    assert names == ["Finca El Puente", "Santa Bárbara Decaf"]


def test_tracking_an_order_with_the_form(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/orders/track", data={"reference": "TW-1002", "email": "tomas.ruiz@example.es"}
    )

    assert response.status_code == 200
    assert "On its way" in response.text
    assert "Lighthouse Espresso" in response.text


def test_tracking_an_order_through_the_api(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/orders/lookup", json={"reference": "TW-1004", "email": "kwame@example.gh"}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "received"


def test_a_wrong_email_finds_no_order(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/orders/lookup", json={"reference": "TW-1004", "email": "someone@example.com"}
    )

    assert response.status_code == 404
