"""Standup's features, as its users rely on them. Run these before and after your fix."""

from __future__ import annotations

import uuid

import httpx


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def test_dashboard_loads(app_client: httpx.Client) -> None:
    response = app_client.get("/")

    assert response.status_code == 200
    assert "Post an update" in response.text


def test_posting_an_update_through_the_form(app_client: httpx.Client) -> None:
    summary = unique("Wrote the on-call handbook")

    response = app_client.post(
        "/updates/new",
        data={"author": "Margaret", "status": "on_track", "summary": summary},
        follow_redirects=False,
    )

    assert response.status_code in (302, 303)
    detail = app_client.get(response.headers["location"])
    assert detail.status_code == 200
    assert summary in detail.text
    assert summary in app_client.get("/").text


def test_api_round_trip(app_client: httpx.Client) -> None:
    summary = unique("Rotated the API keys")

    created = app_client.post(
        "/api/updates", json={"author": "Alan", "status": "at_risk", "summary": summary}
    )

    assert created.status_code == 201
    fetched = app_client.get(created.headers["location"]).json()
    assert fetched["summary"] == summary
    assert fetched["status"] == "at_risk"
    listed = app_client.get("/api/updates", params={"status": "at_risk"}).json()["updates"]
    assert fetched["id"] in [update["id"] for update in listed]


def test_api_explains_what_is_wrong_with_a_bad_update(app_client: httpx.Client) -> None:
    response = app_client.post("/api/updates", json={"author": "Alan", "status": "on_track"})

    assert response.status_code == 400
    assert "summary" in response.json()["errors"]


def test_health_endpoint(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
