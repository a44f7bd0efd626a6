"""Functional checks: everything the brief promises still works after the fix."""

from __future__ import annotations

import time

from conftest import (
    ISSUER,
    NEW_EXPENSE,
    PASSWORDS,
    bearer,
    claims_for,
    login_token,
    server_token,
)

NAMES = {
    "maya": ("Maya Okafor", "admin"),
    "ben": ("Ben Hartley", "member"),
    "chloe": ("Chloé Marchand", "member"),
}


def test_everyone_logs_in_and_the_api_knows_them(app_client):
    for username, (name, role) in NAMES.items():
        response = app_client.post(
            "/auth/token", json={"username": username, "password": PASSWORDS[username]}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 900
        me = app_client.get("/api/me", headers=bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json() == {"username": username, "name": name, "role": role}


def test_wrong_credentials_are_refused(app_client):
    wrong = [
        {"username": "ben", "password": "ledger-ben-2025"},
        {"username": "maya", "password": ""},
        {"username": "nobody", "password": "x"},
    ]
    for body in wrong:
        assert app_client.post("/auth/token", json=body).status_code == 401
    assert app_client.post("/auth/token", json={"username": "ben"}).status_code == 422


def test_members_see_their_own_expenses_and_finance_sees_all(app_client):
    ben = app_client.get("/api/expenses", headers=bearer(login_token(app_client, "ben")))
    assert ben.status_code == 200
    rows = ben.json()["expenses"]
    assert {row["owner"] for row in rows} == {"ben"}
    assert {1, 2} <= {row["id"] for row in rows}
    maya = app_client.get("/api/expenses", headers=bearer(login_token(app_client, "maya")))
    assert maya.status_code == 200
    assert {"ben", "chloe", "maya"} <= {row["owner"] for row in maya.json()["expenses"]}


def test_adding_an_expense(app_client):
    chloe = bearer(login_token(app_client, "chloe"))
    created = app_client.post("/api/expenses", json=NEW_EXPENSE, headers=chloe)
    assert created.status_code == 201
    assert created.json()["owner"] == "chloe"
    assert created.json()["amount_cents"] == 1299
    listed = app_client.get("/api/expenses", headers=chloe).json()["expenses"]
    assert created.json()["id"] in {row["id"] for row in listed}
    for bad in [{**NEW_EXPENSE, "category": "yachts"}, {**NEW_EXPENSE, "amount_cents": -5}, {}]:
        assert app_client.post("/api/expenses", json=bad, headers=chloe).status_code == 422


def test_finance_reads_the_settings(app_client, lab_flag):
    response = app_client.get(
        "/api/admin/settings", headers=bearer(login_token(app_client, "maya"))
    )
    assert response.status_code == 200
    body = response.json()
    assert body["company"] == "Northwind Studio Ltd"
    assert body["payout_api_key"] == lab_flag


def test_the_shared_board_shows_the_totals(app_client, board_token):
    summary = app_client.get("/api/board/summary", headers=bearer(board_token))
    assert summary.status_code == 200
    body = summary.json()
    assert body["board_of"] == "Maya Okafor"
    assert set(body["totals_cents"]) == {"travel", "meals", "equipment", "software"}
    assert body["totals_cents"]["software"] >= 18000
    assert app_client.get("/share/no-such-board").status_code == 404


def test_a_token_works_until_it_expires(app_client):
    now = int(time.time())
    # Issued 14 minutes ago, one minute left: still good.
    token = server_token(claims_for("ben", iat=now - 840, exp=now + 60))
    assert app_client.get("/api/me", headers=bearer(token)).json()["username"] == "ben"
    assert claims_for()["iss"] == ISSUER


def test_requests_without_a_token_get_401(app_client):
    for path in ["/api/me", "/api/expenses", "/api/admin/settings", "/api/board/summary"]:
        assert app_client.get(path).status_code == 401
    assert app_client.post("/api/expenses", json=NEW_EXPENSE).status_code == 401


def test_guide_and_health_pages(app_client):
    guide = app_client.get("/guide")
    assert guide.status_code == 200
    assert "Tallybook API guide" in guide.text
    assert app_client.get("/healthz").json() == {"status": "ok"}
