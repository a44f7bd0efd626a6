"""What Inkpot does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app (it does not follow redirects).
"""

import re


def log_in(app_client, username, password, next_url=None):
    page = app_client.get("/accounts/login/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": token, "username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return app_client.post("/accounts/login/", data=data)


def test_login_goes_to_the_drafts(app_client):
    response = log_in(app_client, "mallory", "mallory-pass-1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/drafts/"
    assert "Something about a heist." in app_client.get("/drafts/").text


def test_login_continues_to_the_forum_with_a_ticket(app_client):
    response = log_in(app_client, "mallory", "mallory-pass-1", "https://forum.inkpot.example/t/1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://forum.inkpot.example/t/1?ticket=")
