"""What Cuppa Club does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app. These tests act like Erin's
browser: they log in with the login form, then submit the wallet page's own forms, with any
hidden fields the page puts in them.
"""

import re


def hidden_fields(page, action):
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form posts to {action}"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def log_in(app_client, username, password):
    page = app_client.get("/accounts/login/").text
    fields = hidden_fields(page, "/accounts/login/")
    fields.update(username=username, password=password, next="/wallet/")
    response = app_client.post("/accounts/login/", data=fields)
    assert response.status_code == 302


def test_erin_logs_in_and_sees_her_wallet(app_client):
    log_in(app_client, "erin", "erin-earl-grey")
    wallet = app_client.get("/api/wallet/").json()
    assert wallet["username"] == "erin"
    assert wallet["cards_bought"][0]["message"] == "For the office"


def test_erin_sends_points_with_the_form(app_client):
    log_in(app_client, "erin", "erin-earl-grey")
    before = app_client.get("/api/wallet/").json()["points"]
    page = app_client.get("/wallet/").text
    fields = hidden_fields(page, "/wallet/points/send/")
    fields.update(to="bob", points="10")
    response = app_client.post("/wallet/points/send/", data=fields)
    assert response.status_code == 302
    assert app_client.get("/api/wallet/").json()["points"] == before - 10
