"""The shop's features, as customers use them. Run these before and after your fix."""

from __future__ import annotations

import uuid

import httpx


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def review(**fields: object) -> dict[str, object]:
    return {"name": "Kim", "rating": 4, "title": "Good", "body": "Works", "website": ""} | fields


def test_product_page_loads(app_client: httpx.Client) -> None:
    response = app_client.get("/products/gooseneck-kettle")

    assert response.status_code == 200
    assert "Write a review" in response.text


def test_posting_a_review_shows_it(app_client: httpx.Client) -> None:
    body = unique("Pours like a dream")

    response = app_client.post(
        "/products/gooseneck-kettle/reviews",
        data={key: str(value) for key, value in review(body=body).items()},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert body in response.text


def test_bold_text_is_bold(app_client: httpx.Client) -> None:
    created = app_client.post(
        "/api/products/hand-grinder/reviews", json=review(body="The **burrs** are great")
    )

    assert created.status_code == 201
    page = app_client.get(f"/reviews/{created.json()['id']}")
    assert "<strong>burrs</strong>" in page.text


def test_the_api_returns_what_was_typed(app_client: httpx.Client) -> None:
    created = app_client.post(
        "/api/products/hand-grinder/reviews", json=review(body="Fish & chips <3")
    )

    assert created.json()["body"] == "Fish & chips <3"


def test_search_finds_a_product(app_client: httpx.Client) -> None:
    response = app_client.get("/search", params={"q": "kettle"})

    assert response.status_code == 200
    assert "Gooseneck kettle" in response.text


def test_reporting_a_review(app_client: httpx.Client) -> None:
    created = app_client.post("/api/products/hand-grinder/reviews", json=review(body="Spam"))

    response = app_client.post(f"/reviews/{created.json()['id']}/report")

    assert response.status_code == 200
    assert "was reported" in response.text
