"""Security checks: only a token this server signed, for this audience, still valid, opens the API.

Every forged or stale token is sent to every endpoint that reads one. Each must get a plain 401:
not the payout key, not a traceback, not a 500.
"""

from __future__ import annotations

import time

from conftest import (
    BOARD_AUDIENCE,
    assert_refused,
    b64,
    b64json,
    call_api,
    call_board,
    claims_for,
    login_token,
    server_token,
    signed_token,
    unsigned_token,
)


def test_unsigned_tokens_are_refused(app_client, lab_flag):
    for alg in ["none", "None", "NONE", "nOnE"]:
        for signature in ["", "AAAA", b64(b"not a signature")]:
            token = unsigned_token(claims_for("maya"), alg=alg, signature=signature)
            assert_refused(call_api(app_client, token), lab_flag, f"alg={alg!r}")
            board = unsigned_token(claims_for("maya", aud=BOARD_AUDIENCE), alg=alg)
            assert_refused(call_board(app_client, board), lab_flag, f"board token alg={alg!r}")


def test_tokens_signed_with_another_key_are_refused(app_client, lab_flag):
    keys = ["secret", "tallybook", "x" * 40, "tb-prod-7f3a9c2e51d84b6a90e1c4f2d7a8b3e7"]
    for key in keys:
        for algorithm in ["HS256", "HS384", "HS512"]:
            token = signed_token(claims_for("maya"), key, algorithm)
            assert_refused(call_api(app_client, token), lab_flag, f"{algorithm} with {key!r}")
        board = signed_token(claims_for("maya", aud=BOARD_AUDIENCE), key)
        assert_refused(call_board(app_client, board), lab_flag, f"board token with {key!r}")


def test_edited_claims_break_the_signature(app_client, lab_flag):
    header, _, signature = login_token(app_client, "ben").split(".")
    for sub in ["maya", "chloe"]:
        token = f"{header}.{b64json(claims_for(sub))}.{signature}"
        assert_refused(call_api(app_client, token), lab_flag, f"ben's signature on sub={sub}")
    token = f"{header}.{b64json(claims_for('maya'))}."
    assert_refused(call_api(app_client, token), lab_flag, "a signature cut off")


def test_expired_tokens_are_refused(app_client, lab_flag):
    guide = app_client.get("/guide")
    assert guide.status_code == 200
    old = guide.text.split("Bearer ")[1].split("'")[0]
    assert_refused(call_api(app_client, old), lab_flag, "the guide's 2025 example token")
    now = int(time.time())
    for age in [60, 3600, 86400 * 400]:
        token = server_token(claims_for("maya", iat=now - age - 900, exp=now - age))
        assert_refused(call_api(app_client, token), lab_flag, f"a token expired {age}s ago")
        board = server_token(claims_for("maya", aud=BOARD_AUDIENCE, iat=now - age, exp=now - age))
        assert_refused(call_board(app_client, board), lab_flag, f"a board token {age}s stale")


def test_tokens_without_an_expiry_are_refused(app_client, lab_flag):
    token = server_token(claims_for("maya", exp=None))
    assert_refused(call_api(app_client, token), lab_flag, "a token that never expires")
    board = server_token(claims_for("maya", aud=BOARD_AUDIENCE, exp=None))
    assert_refused(call_board(app_client, board), lab_flag, "a board token that never expires")


def test_board_tokens_do_not_open_the_api(app_client, lab_flag, board_token):
    assert_refused(call_api(app_client, board_token), lab_flag, "the shared board's token")
    both = server_token(claims_for("maya", aud=[BOARD_AUDIENCE]))
    assert_refused(call_api(app_client, both), lab_flag, "aud=[board]")


def test_tokens_for_other_audiences_are_refused(app_client, lab_flag):
    for aud in ["tallybook-reports", "tallybook-api-staging", "TALLYBOOK-API", ["reports"], None]:
        token = server_token(claims_for("maya", aud=aud))
        assert_refused(call_api(app_client, token), lab_flag, f"aud={aud!r}")
    assert_refused(
        call_board(app_client, login_token(app_client, "ben")), lab_flag, "a login token"
    )


def test_tokens_from_other_issuers_are_refused(app_client, lab_flag):
    for iss in ["https://staging.tallybook.example/auth", "https://evil.example", "", None]:
        token = server_token(claims_for("maya", iss=iss))
        assert_refused(call_api(app_client, token), lab_flag, f"iss={iss!r}")
        board = server_token(claims_for("maya", aud=BOARD_AUDIENCE, iss=iss))
        assert_refused(call_board(app_client, board), lab_flag, f"board token iss={iss!r}")


def test_malformed_tokens_get_401(app_client, lab_flag):
    garbage = [
        "x",
        "a.b",
        "a.b.c",
        "...",
        "e30.e30.",
        f"{b64json({'alg': 'HS256'})}.{b64(b'not json')}.AAAA",
        f"{b64(b'[1,2]')}.{b64json({'sub': 'maya'})}.",
        f"{b64json({'typ': 'JWT'})}.{b64json(claims_for('maya'))}.",
        f"{b64json({'alg': 'RS256', 'typ': 'JWT'})}.{b64json(claims_for('maya'))}.AAAA",
        "Bearer Bearer",
        "ünïcode.tøken.✓",
    ]
    for token in garbage:
        assert_refused(call_api(app_client, token), lab_flag, f"token {token!r}")
        assert_refused(call_board(app_client, token), lab_flag, f"board token {token!r}")
    odd_claims = [
        claims_for(12),
        claims_for(["maya"]),
        claims_for(None),
        claims_for("nobody"),
        claims_for("maya", exp="tomorrow"),
        claims_for("maya", aud=42),
        claims_for("maya", iss=["x"]),
    ]
    for claims in odd_claims:
        for token in [server_token(claims), unsigned_token(claims)]:
            assert_refused(call_api(app_client, token), lab_flag, f"claims {claims!r}")
    for header in [{"Authorization": "Basic bWF5YTp4"}, {"Authorization": "Bearer"}, {}]:
        response = app_client.get("/api/admin/settings", headers=header)
        assert_refused([("GET /api/admin/settings", response)], lab_flag, f"header {header}")


def test_members_cannot_read_the_finance_settings(app_client, lab_flag):
    for username in ["ben", "chloe"]:
        token = login_token(app_client, username)
        response = app_client.get(
            "/api/admin/settings", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 403
        assert lab_flag not in response.text
