"""Security checks: no `next` value, in any spelling, sends a member (or a ticket) to another site.

Every value goes through every door that reads `next`: the login form's field, the login
address's query string, the logout button and the forum's "Log in with Inkpot" link. A browser on
http://localhost/ must land on Inkpot or the forum, never elsewhere; refusing with 400 is fine.
"""

from __future__ import annotations

from conftest import assert_stays_home, landing_host, ticket_in

EVIL = "evil.example"
NEXT_VALUES = [
    f"//{EVIL}/catch",
    f"///{EVIL}/catch",
    f"////{EVIL}/catch",
    f"/\\{EVIL}/catch",
    f"\\/{EVIL}/catch",
    f"\\\\{EVIL}/catch",
    f"/\\/{EVIL}/catch",
    f"https:{EVIL}/catch",
    f"HTTPS:{EVIL}/catch",
    f"hTTpS:/{EVIL}/catch",
    f"https:///{EVIL}/catch",
    f"https://{EVIL}/catch",
    f"HTTP://{EVIL}/catch",
    f"http://localhost.{EVIL}/catch",
    f"//localhost@{EVIL}/catch",
    f"https://forum.inkpot.example.{EVIL}/catch",
    f"https://forum.inkpot.example@{EVIL}/catch",
    f"https://{EVIL}#@forum.inkpot.example/",
    f"https://{EVIL}\\@forum.inkpot.example/",
    f"https://{EVIL}?forum.inkpot.example",
    f"https://forum.inkpot.example%2F@{EVIL}/catch",
    f"\t//{EVIL}/catch",
    f" //{EVIL}/catch",
    f"%2F%2F{EVIL}/catch",
    f"/%2F{EVIL}/catch",
    f"//{EVIL}%2F",
    f"//{EVIL.upper()}",
    f"//{EVIL}。",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


def test_login_form_next_cannot_leave_the_site(browser):
    for value in NEXT_VALUES:
        response = browser.log_in("theo", value, via="form")
        assert_stays_home(response, f"login form with next={value!r}")


def test_login_address_next_cannot_leave_the_site(browser):
    for value in NEXT_VALUES:
        page = browser.login_form(value)
        assert "Log in to Inkpot" in page
        response = browser.log_in("theo", value, via="query")
        assert_stays_home(response, f"login address with next={value!r}")


def test_forum_login_link_cannot_leave_the_site(browser):
    browser.log_in("theo")
    for value in NEXT_VALUES:
        response = browser.request("GET", "/sso/authorize", params={"next": value})
        assert_stays_home(response, f"/sso/authorize?next={value!r}")


def test_logout_cannot_leave_the_site(browser):
    for value in NEXT_VALUES[:12]:
        browser.log_in("theo")
        response = browser.log_out(value)
        assert_stays_home(response, f"logout with next={value!r}")


def test_tickets_never_leave_for_another_site(browser):
    leaked = []
    for value in NEXT_VALUES:
        for response in [
            browser.log_in("theo", value),
            browser.request("GET", "/sso/authorize", params={"next": value}),
        ]:
            location = response.headers.get("Location", "")
            if ticket_in(location) and landing_host(location) not in (
                None,
                "localhost",
                "forum.inkpot.example",
            ):
                leaked.append(value)
    assert leaked == [], f"a ticket was sent to another site for {leaked}"


def test_malformed_next_values_get_a_clean_answer(browser):
    for value in [
        "",
        " ",
        "%",
        "\x00",
        "/\x00/",
        "http://[::1",
        "https://",
        "a" * 3000,
        "/drafts/?next=//evil.example",
        "\u202e//evil.example",
    ]:
        response = browser.log_in("theo", value)
        assert response.status_code < 500, f"next={value!r}"
        assert "Traceback" not in response.text
        assert_stays_home(response, f"next={value!r}")
