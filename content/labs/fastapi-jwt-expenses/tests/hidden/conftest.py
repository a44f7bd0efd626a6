"""Helpers for the hidden checks: log in, and mint tokens as an attacker or the server could."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

# The deployment's key, from lab.toml's [app].env: only the hidden checks use it, to mint tokens
# the server itself could have issued (expired ones, ones for other audiences, ...).
SERVER_KEY = "tb-prod-7f3a9c2e51d84b6a90e1c4f2d7a8b3e6"
ISSUER = "https://tallybook.example/auth"
API_AUDIENCE = "tallybook-api"
BOARD_AUDIENCE = "tallybook-embed"
PASSWORDS = {
    "maya": "Quarter-Close-Rocks-91",
    "ben": "ledger-ben-2026",
    "chloe": "croissant&coffee",
}
NEW_EXPENSE = {"description": "Printer paper", "amount_cents": 1299, "category": "equipment"}


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64json(part: object) -> str:
    return b64(json.dumps(part, separators=(",", ":")).encode())


def claims_for(sub: object = "maya", **changes: object) -> dict:
    now = int(time.time())
    claims = {"sub": sub, "iss": ISSUER, "aud": API_AUDIENCE, "iat": now - 5, "exp": now + 600}
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


def signed_token(claims: dict, key: str, algorithm: str = "HS256") -> str:
    """Sign by hand: PyJWT's encode() refuses some of the odd claims the checks send."""
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[algorithm]
    signing_input = f"{b64json({'alg': algorithm, 'typ': 'JWT'})}.{b64json(claims)}"
    signature = hmac.new(key.encode(), signing_input.encode(), digest).digest()
    return f"{signing_input}.{b64(signature)}"


def server_token(claims: dict, algorithm: str = "HS256") -> str:
    return signed_token(claims, SERVER_KEY, algorithm)


def unsigned_token(claims: dict, alg: str = "none", signature: str = "") -> str:
    return f"{b64json({'alg': alg, 'typ': 'JWT'})}.{b64json(claims)}.{signature}"


def bearer(token: str) -> dict:
    # Bytes, so that a token with non-ASCII characters is sent as it is (UTF-8).
    return {"Authorization": f"Bearer {token}".encode()}


def login_token(client: httpx.Client, username: str) -> str:
    response = client.post(
        "/auth/token", json={"username": username, "password": PASSWORDS[username]}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def call_api(client: httpx.Client, token: str) -> list[tuple[str, httpx.Response]]:
    """Every endpoint that reads a login token, with the given token."""
    headers = bearer(token)
    return [
        ("GET /api/me", client.get("/api/me", headers=headers)),
        ("GET /api/expenses", client.get("/api/expenses", headers=headers)),
        ("POST /api/expenses", client.post("/api/expenses", json=NEW_EXPENSE, headers=headers)),
        ("GET /api/admin/settings", client.get("/api/admin/settings", headers=headers)),
    ]


def call_board(client: httpx.Client, token: str) -> list[tuple[str, httpx.Response]]:
    return [("GET /api/board/summary", client.get("/api/board/summary", headers=bearer(token)))]


def assert_refused(responses, flag: str, what: str) -> None:
    for where, response in responses:
        assert flag not in response.text, f"{where} gave away the payout key for {what}"
        assert "Traceback" not in response.text, f"{where} showed a traceback for {what}"
        assert response.status_code == 401, (
            f"{where} answered {response.status_code} to {what}: expected 401"
        )


@pytest.fixture
def board_token(app_client: httpx.Client) -> str:
    page = app_client.get("/share/kitchen-screen")
    assert page.status_code == 200
    return page.text.split('data-token="')[1].split('"')[0]
