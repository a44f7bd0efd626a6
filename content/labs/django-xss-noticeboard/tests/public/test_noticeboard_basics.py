"""The noticeboard's features, as members use them. Run these before and after your fix."""

from __future__ import annotations

import uuid

import httpx


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def notice(**fields: str) -> dict[str, str]:
    return {"author": "Kim", "title": "Notice", "body": "Hello", "contact": ""} | fields


def test_board_loads(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    assert "Put up a notice" in response.text


def test_posting_a_notice_shows_it(app_client: httpx.Client) -> None:
    body = unique("Manure delivery on Saturday")

    response = app_client.post("/notices/new/", data=notice(body=body), follow_redirects=True)

    assert response.status_code == 200
    assert body in response.text


def test_bold_text_is_bold(app_client: httpx.Client) -> None:
    created = app_client.post("/api/notices/", json=notice(body="Bring **gloves**"))

    assert created.status_code == 201
    page = app_client.get(f"/notices/{created.json()['id']}/")
    assert "<strong>gloves</strong>" in page.text


def test_the_api_returns_what_was_typed(app_client: httpx.Client) -> None:
    created = app_client.post("/api/notices/", json=notice(body="Fish & chips <3"))

    assert created.json()["body"] == "Fish & chips <3"


def test_search_finds_a_notice(app_client: httpx.Client) -> None:
    word = unique("Parsnip")
    app_client.post("/api/notices/", json=notice(title=f"Spare {word}"))

    response = app_client.get("/search/", params={"q": word})

    assert response.status_code == 200
    assert f"<mark>{word}</mark>" in response.text


def test_reporting_a_notice(app_client: httpx.Client) -> None:
    created = app_client.post("/api/notices/", json=notice(body="Spam"))

    response = app_client.post(f"/notices/{created.json()['id']}/report/")

    assert response.status_code == 200
    assert "was reported" in response.text
