"""Security checks: no page elsewhere can make a logged-in member's browser change anything.

The victim is Bob, logged in. Each attack is a request his browser could be made to send by a
page elsewhere (another subdomain of the chain, or another site): his cookies go along, but no
valid CSRF token, and the Origin (or Referer) says where the page came from. After every attack
Bob's points, cards and email must be exactly as before, and Mallory must have gained nothing.
"""

from __future__ import annotations

from conftest import Browser

BOB_CARD = 2
ATTACKER_ORIGINS = [
    {"Origin": "https://recipes.cuppa.example", "Referer": "https://recipes.cuppa.example/p/1"},
    {"Origin": "https://evil.example", "Referer": "https://evil.example/free-coffee"},
    {"Origin": "null"},
    {},
    {"Referer": "https://evil.example/localhost/wallet/"},
    {"Referer": "https://localhost.evil.example/wallet/"},
    {"Origin": "http://localhost.evil.example"},
]
FORGED_TOKENS = [
    {},
    {"csrfmiddlewaretoken": ""},
    {"csrfmiddlewaretoken": "x"},
    {"csrfmiddlewaretoken": "A" * 64},
    {"csrfmiddlewaretoken": "A" * 32},
]
FORGED_HEADERS = [
    {},
    {"X-CSRFToken": ""},
    {"X-CSRFToken": "A" * 64},
    {"X-Requested-With": "XMLHttpRequest"},
]


def snapshot(browser: Browser) -> dict:
    return browser.wallet()


def assert_unchanged(browser: Browser, before: dict, attack: str) -> None:
    after = snapshot(browser)
    assert after["points"] == before["points"], f"Bob's points moved after {attack}"
    assert after["cards_bought"] == before["cards_bought"], f"Bob's card was sent after {attack}"
    assert after["email"] == before["email"], f"Bob's email changed after {attack}"


def test_cross_site_form_posts_change_nothing(browser, app_client):
    browser.log_in("bob")
    browser.wallet_page()  # the csrftoken cookie, if any, is in Bob's browser as it would be
    before = snapshot(browser)
    targets = [
        ("/wallet/points/send/", {"to": "mallory", "points": "100"}),
        (f"/wallet/cards/{BOB_CARD}/send/", {"to": "mallory"}),
    ]
    for path, fields in targets:
        for origin in ATTACKER_ORIGINS:
            for forged in FORGED_TOKENS:
                for headers in FORGED_HEADERS[:2]:
                    attack = f"POST {path} {forged} {origin} {headers}"
                    response = app_client.post(
                        path, data={**fields, **forged}, headers={**origin, **headers}
                    )
                    assert response.status_code < 500, attack
            # Each change would be permanent, so one look per origin finds any of them.
            assert_unchanged(browser, before, f"cross-site POSTs to {path} with {origin}")
        response = app_client.post(
            path, files={"x": ("x.txt", b"x")}, data=fields, headers=ATTACKER_ORIGINS[0]
        )
        assert response.status_code < 500
        assert_unchanged(browser, before, f"a multipart POST to {path}")


def test_cross_site_api_calls_change_nothing(browser, app_client):
    browser.log_in("bob")
    browser.wallet_page()
    before = snapshot(browser)
    targets = [
        (f"/api/cards/{BOB_CARD}/send/", '{"to": "mallory"}'),
        ("/api/profile/email/", '{"email": "mallory@evil.example"}'),
    ]
    content_types = [
        "text/plain",
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ]
    for path, body in targets:
        for origin in ATTACKER_ORIGINS:
            for content_type in content_types:
                for headers in FORGED_HEADERS:
                    attack = f"POST {path} as {content_type} {origin} {headers}"
                    response = app_client.post(
                        path,
                        content=body,
                        headers={"Content-Type": content_type, **origin, **headers},
                    )
                    assert response.status_code < 500, attack
            assert_unchanged(browser, before, f"cross-site calls to {path} with {origin}")


def test_requests_with_another_members_token_change_nothing(browser, app_client):
    browser.log_in("mallory")
    mallory_page = browser.wallet_page()
    from conftest import page_token

    mallory_token = page_token(mallory_page) or app_client.cookies.get("csrftoken") or "A" * 64
    browser.log_in("bob")
    browser.wallet_page()
    before = snapshot(browser)
    for path, fields in [
        ("/wallet/points/send/", {"to": "mallory", "points": "100"}),
        (f"/wallet/cards/{BOB_CARD}/send/", {"to": "mallory"}),
    ]:
        response = app_client.post(
            path,
            data={**fields, "csrfmiddlewaretoken": mallory_token},
            headers=ATTACKER_ORIGINS[0],
        )
        assert response.status_code < 500
        assert_unchanged(browser, before, f"POST {path} with Mallory's token")
    response = app_client.post(
        "/api/profile/email/",
        json={"email": "mallory@evil.example"},
        headers={"X-CSRFToken": mallory_token, **ATTACKER_ORIGINS[0]},
    )
    assert response.status_code < 500
    assert_unchanged(browser, before, "the email API with Mallory's token")


def test_get_requests_change_nothing(browser, app_client):
    browser.log_in("bob")
    before = snapshot(browser)
    for path, params in [
        ("/wallet/points/send/", {"to": "mallory", "points": "100"}),
        (f"/wallet/cards/{BOB_CARD}/send/", {"to": "mallory"}),
        (f"/api/cards/{BOB_CARD}/send/", {"to": "mallory"}),
        ("/api/profile/email/", {"email": "mallory@evil.example"}),
    ]:
        for method in ["GET", "HEAD", "OPTIONS"]:
            response = app_client.request(method, path, params=params, headers=ATTACKER_ORIGINS[1])
            assert response.status_code < 500
            assert_unchanged(browser, before, f"{method} {path}")


def test_mallory_never_receives_bobs_card(browser):
    browser.log_in("mallory")
    received = browser.wallet()["cards_received"]
    assert all(card["from"] != "bob" for card in received)
    assert browser.wallet()["points"] == 20
