"""Functional checks: logging in lands where it should, and tickets still reach the forum."""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import ticket_in


def test_login_without_next_goes_to_the_drafts(browser):
    response = browser.log_in("theo")
    assert response.status_code == 302
    assert response.headers["Location"] == "/drafts/"
    page = browser.request("GET", "/drafts/")
    assert "Poems, autumn" in page.text


def test_wrong_password_shows_the_form_again_with_next(browser):
    page = browser.login_form("/drafts/")
    assert 'name="next" value="/drafts/"' in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.request(
        "POST",
        "/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "theo",
            "password": "nope",
            "next": "/drafts/",
        },
    )
    assert response.status_code == 400
    assert "do not match" in response.text
    assert 'name="next" value="/drafts/"' in response.text


def test_next_pages_of_the_site_are_kept(browser):
    for value in ["/drafts/", "/drafts/?sort=new", "/sso/authorize?next=/drafts/", "/"]:
        for via in ["form", "query"]:
            response = browser.log_in("theo", value, via=via)
            assert response.status_code == 302
            location = response.headers["Location"]
            assert location.startswith(value), (value, location)
            assert ticket_in(location)


def test_the_forum_gets_a_ticket(browser):
    for value in ["https://forum.inkpot.example/", "https://forum.inkpot.example/t/42?page=2"]:
        response = browser.log_in("theo", value)
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location.startswith(value)
        assert urlsplit(location).netloc == "forum.inkpot.example"
        assert ticket_in(location)


def test_foreign_next_values_land_on_the_drafts(browser):
    response = browser.log_in("theo", "https://evil.example/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/drafts/"


def test_forum_login_link(browser):
    browser.client.cookies.clear()
    anonymous = browser.request(
        "GET", "/sso/authorize", params={"next": "https://forum.inkpot.example/t/7"}
    )
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/accounts/login/?next=")
    browser.log_in("theo")
    response = browser.request(
        "GET", "/sso/authorize", params={"next": "https://forum.inkpot.example/t/7"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://forum.inkpot.example/t/7?ticket=")


def test_a_ticket_signs_in_once(browser):
    response = browser.log_in("theo", "https://forum.inkpot.example/")
    ticket = ticket_in(response.headers["Location"])
    browser.client.cookies.clear()
    entered = browser.request("GET", "/sso/enter", params={"ticket": ticket})
    assert entered.status_code == 302
    assert "Poems, autumn" in browser.request("GET", "/drafts/").text
    browser.client.cookies.clear()
    again = browser.request("GET", "/sso/enter", params={"ticket": ticket})
    assert again.status_code == 403
    assert browser.request("GET", "/sso/enter", params={"ticket": "nope"}).status_code == 403


def test_logging_out(browser):
    browser.log_in("theo")
    response = browser.log_out("/accounts/login/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")
    drafts = browser.request("GET", "/drafts/")
    assert drafts.status_code == 302
    assert drafts.headers["Location"].startswith("/accounts/login/?next=/drafts/")
