"""Functional checks: members log in, send points and cards, and change their email as before.

Each check works like the member's browser: it loads the wallet page and submits the page's own
forms (with whatever hidden fields they carry), or calls the API the way the page's script does.
"""

from __future__ import annotations

import re

from conftest import PASSWORDS, SAME_SITE_ORIGIN, form_fields

DANA_CARD_FOR_FORM = 3
DANA_CARD_FOR_API = 4


def test_logging_in_and_out(browser, app_client):
    page = app_client.get("/accounts/login/")
    assert page.status_code == 200
    fields = form_fields(page.text, "/accounts/login/")
    fields.update(username="dana", password="wrong")
    refused = app_client.post("/accounts/login/", data=fields, headers=SAME_SITE_ORIGIN)
    assert refused.status_code == 200
    assert "didn&#x27;t match" in refused.text or "didn't match" in refused.text
    browser.log_in("dana")
    assert browser.wallet()["username"] == "dana"
    logout = app_client.post(
        "/accounts/logout/",
        data=form_fields(browser.wallet_page(), "/accounts/logout/"),
        headers=SAME_SITE_ORIGIN,
    )
    assert logout.status_code == 302
    assert app_client.get("/api/wallet/").status_code == 401


def test_the_wallet_page_shows_points_and_cards(browser):
    browser.log_in("erin")
    page = browser.wallet_page()
    assert "Your wallet" in page
    assert re.search(r'<strong id="points">\d+</strong>', page)
    assert "For the office" in page
    for field in ["to", "points"]:
        assert f'name="{field}"' in page


def test_sending_points_with_the_form(browser):
    browser.log_in("erin")
    erin_before = browser.wallet()["points"]
    browser.log_in("dana")
    dana_before = browser.wallet()["points"]
    response = browser.submit("/wallet/points/send/", to="erin", points="75")
    assert response.status_code == 302
    assert browser.wallet()["points"] == dana_before - 75
    browser.log_in("erin")
    assert browser.wallet()["points"] == erin_before + 75


def test_the_points_form_explains_mistakes(browser):
    browser.log_in("dana")
    before = browser.wallet()["points"]
    for values, message in [
        ({"to": "erin", "points": "999999"}, "You do not have that many points."),
        ({"to": "nobody", "points": "5"}, "There is no member with that username."),
        ({"to": "erin", "points": "-5"}, "Send at least one point."),
        ({"to": "erin", "points": "lots"}, "Points must be a whole number."),
        ({"to": "dana", "points": "5"}, "You cannot send it to yourself."),
    ]:
        response = browser.submit("/wallet/points/send/", **values)
        assert response.status_code == 400, values
        assert message in response.text.replace("&#x27;", "'")
    assert browser.wallet()["points"] == before


def test_sending_a_gift_card_with_the_form(browser):
    browser.log_in("dana")
    response = browser.submit(f"/wallet/cards/{DANA_CARD_FOR_FORM}/send/", to="erin")
    assert response.status_code == 302
    sent = {card["id"]: card["sent_to"] for card in browser.wallet()["cards_bought"]}
    assert sent[DANA_CARD_FOR_FORM] == "erin"
    browser.log_in("erin")
    codes = [card["code"] for card in browser.wallet()["cards_received"]]
    assert "CUPPA-3KD8-PL2W" in codes
    assert "CUPPA-3KD8-PL2W" in browser.wallet_page()


def test_sending_a_gift_card_through_the_api(browser):
    browser.log_in("dana")
    response = browser.call_api(f"/api/cards/{DANA_CARD_FOR_API}/send/", {"to": "erin"})
    assert response.status_code == 200
    sent = {card["id"]: card["sent_to"] for card in response.json()["cards_bought"]}
    assert sent[DANA_CARD_FOR_API] == "erin"
    again = browser.call_api(f"/api/cards/{DANA_CARD_FOR_API}/send/", {"to": "bob"})
    assert again.status_code == 400
    assert again.json()["error"] == "That card has already been sent."
    other = browser.call_api("/api/cards/2/send/", {"to": "erin"})
    assert other.status_code == 400
    assert other.json()["error"] == "You have no such card."


def test_changing_the_email_through_the_api(browser):
    browser.log_in("erin")
    response = browser.call_api("/api/profile/email/", {"email": "erin@tea.example"})
    assert response.status_code == 200
    assert browser.wallet()["email"] == "erin@tea.example"
    for bad in [{"email": "not an email"}, {"email": 42}, {}, ["x"]]:
        refused = browser.call_api("/api/profile/email/", bad)
        assert refused.status_code == 400, bad
        assert "error" in refused.json()
    assert browser.wallet()["email"] == "erin@tea.example"


def test_logged_out_visitors_are_sent_to_log_in(app_client):
    app_client.cookies.clear()
    wallet = app_client.get("/wallet/")
    assert wallet.status_code == 302
    assert wallet.headers["Location"].startswith("/accounts/login/")
    assert app_client.get("/api/wallet/").status_code == 401
    assert sorted(PASSWORDS) == ["alice", "bob", "dana", "erin", "mallory"]
