"""Functional checks: every feature of Standup keeps working after the fix."""

from __future__ import annotations

import re
import uuid

import httpx


def unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def api_post(client: httpx.Client, **fields: str) -> httpx.Response:
    payload = {"author": "Ada", "status": "on_track", "summary": unique("Shipped")}
    payload.update(fields)
    return client.post("/api/updates", json=payload)


def test_dashboard_lists_recent_updates(app_client: httpx.Client) -> None:
    summary = unique("Release notes drafted")
    assert api_post(app_client, summary=summary).status_code == 201

    response = app_client.get("/")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert summary in response.text


def blocked_count(client: httpx.Client) -> int:
    page = client.get("/").text
    match = re.search(r'<li class="status-blocked"><strong>(\d+)</strong> Blocked</li>', page)
    assert match, "the board shows no count of blocked updates"
    return int(match.group(1))


def test_dashboard_counts_updates_per_status(app_client: httpx.Client) -> None:
    before = blocked_count(app_client)
    assert api_post(app_client, status="blocked").status_code == 201
    assert api_post(app_client, status="blocked").status_code == 201
    assert blocked_count(app_client) == before + 2


def test_dashboard_pages_through_older_updates(app_client: httpx.Client) -> None:
    oldest = unique("Oldest of a batch")
    assert api_post(app_client, summary=oldest).status_code == 201
    for _ in range(10):
        assert api_post(app_client).status_code == 201

    first_page = app_client.get("/")
    second_page = app_client.get("/", params={"page": "2"})

    assert first_page.status_code == 200
    assert second_page.status_code == 200
    assert oldest not in first_page.text
    assert oldest in second_page.text


def test_form_posts_an_update(app_client: httpx.Client) -> None:
    summary = unique("Migrated the job queue")
    form = app_client.get("/updates/new")
    assert form.status_code == 200
    assert 'name="summary"' in form.text

    response = app_client.post(
        "/updates/new",
        data={"author": "Grace", "status": "at_risk", "summary": summary},
        follow_redirects=False,
    )

    assert response.status_code in (302, 303)
    assert "/updates/" in response.headers["location"]
    detail = app_client.get(response.headers["location"])
    assert detail.status_code == 200
    assert summary in detail.text
    assert "Grace" in detail.text
    assert "Update posted" in detail.text


def test_form_rejects_an_empty_summary(app_client: httpx.Client) -> None:
    author = unique("Linus")

    response = app_client.post(
        "/updates/new", data={"author": author, "status": "on_track", "summary": "  "}
    )

    assert response.status_code == 400
    assert "Write a short summary" in response.text
    listed = app_client.get("/api/updates", params={"limit": "100"}).json()["updates"]
    assert all(update["author"] != author for update in listed)


def test_unknown_update_is_not_found(app_client: httpx.Client) -> None:
    assert app_client.get("/updates/987654321").status_code == 404
    response = app_client.get("/api/updates/987654321")
    assert response.status_code == 404
    assert response.json() == {"error": "No such update."}


def test_api_creates_and_returns_an_update(app_client: httpx.Client) -> None:
    summary = unique("Load test passed")

    created = api_post(app_client, author="Katherine", status="blocked", summary=summary)

    assert created.status_code == 201
    body = created.json()
    assert body["author"] == "Katherine"
    assert body["status"] == "blocked"
    assert body["summary"] == summary
    assert isinstance(body["id"], int)
    assert created.headers["location"] == body["url"]
    fetched = app_client.get(created.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_api_lists_and_filters_updates(app_client: httpx.Client) -> None:
    blocked = api_post(app_client, status="blocked", summary=unique("Blocked on DNS")).json()
    on_track = api_post(app_client, status="on_track", summary=unique("All good")).json()

    everything = app_client.get("/api/updates").json()["updates"]
    only_blocked = app_client.get("/api/updates", params={"status": "blocked"}).json()["updates"]
    just_one = app_client.get("/api/updates", params={"limit": "1"}).json()["updates"]

    assert everything[0]["id"] == on_track["id"], "newest update comes first"
    assert blocked["id"] in [update["id"] for update in only_blocked]
    assert {update["status"] for update in only_blocked} == {"blocked"}
    assert [update["id"] for update in just_one] == [on_track["id"]]
    bad_status = app_client.get("/api/updates", params={"status": "sleeping"})
    assert bad_status.status_code == 400


def test_api_reports_validation_errors(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/updates", json={"author": "", "status": "sleeping", "summary": ""}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"author", "status", "summary"}


def test_api_rejects_bodies_that_are_not_json(app_client: httpx.Client) -> None:
    malformed = app_client.post(
        "/api/updates",
        content=b'{"author": "Ada", "status": ',
        headers={"content-type": "application/json"},
    )
    form_encoded = app_client.post(
        "/api/updates", data={"author": "Ada", "status": "on_track", "summary": "Hi"}
    )

    assert malformed.status_code == 400
    assert form_encoded.status_code == 415


def test_health_endpoint_reports_ok(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
