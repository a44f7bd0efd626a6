"""A small browser for the hidden checks: log in, read the forms, submit them as a browser would.

A member's own browser sends what the page gives it: the form's hidden fields (the CSRF token,
when the page has one), `Origin` and `Referer` of the club itself, and the page script's
`X-CSRFToken` header. An attacker's page can do none of that.
"""

from __future__ import annotations

import html
import re

import httpx
import pytest

PASSWORDS = {
    "alice": "Flat-White-Forever-8",
    "bob": "bob-likes-mocha",
    "mallory": "mallory-pass-1",
    "dana": "dana-drinks-decaf",
    "erin": "erin-earl-grey",
}
SITE = "http://localhost"
SAME_SITE_ORIGIN = {"Origin": SITE, "Referer": f"{SITE}/wallet/"}
HIDDEN_INPUT = re.compile(r"<input[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def form_fields(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form that posts to ``action`` (empty when it has none)."""
    for found in re.finditer(r"<form([^>]*)>(.*?)</form>", page, re.IGNORECASE | re.DOTALL):
        attributes = dict(ATTRIBUTE.findall(found.group(1)))
        if attributes.get("action") == action or (action == "" and "action" not in attributes):
            fields = {}
            for tag in HIDDEN_INPUT.findall(found.group(2)):
                attrs = dict(ATTRIBUTE.findall(tag))
                if attrs.get("type") == "hidden" and "name" in attrs:
                    fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
            return fields
    return {}


def page_token(page: str) -> str | None:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found.group(1) if found else None


class Browser:
    """One member's browser on the club's site (the test client's cookie jar is theirs)."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def log_in(self, username: str) -> None:
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/")
        assert page.status_code == 200
        fields = form_fields(page.text, "/accounts/login/")
        fields.update(username=username, password=PASSWORDS[username], next="/wallet/")
        response = self.client.post("/accounts/login/", data=fields, headers=SAME_SITE_ORIGIN)
        assert response.status_code == 302, f"{username} could not log in"

    def wallet_page(self) -> str:
        page = self.client.get("/wallet/")
        assert page.status_code == 200
        return page.text

    def submit(self, action: str, **values: str) -> httpx.Response:
        """Fill in the wallet's form that posts to ``action`` and submit it."""
        fields = form_fields(self.wallet_page(), action)
        fields.update(values)
        return self.client.post(action, data=fields, headers=SAME_SITE_ORIGIN)

    def call_api(self, path: str, body: object) -> httpx.Response:
        """What the wallet page's script sends: JSON, and the page's CSRF token if it has one."""
        headers = {"Content-Type": "application/json", **SAME_SITE_ORIGIN}
        token = page_token(self.wallet_page()) or self.client.cookies.get("csrftoken")
        if token:
            headers["X-CSRFToken"] = token
        return self.client.post(path, json=body, headers=headers)

    def wallet(self) -> dict:
        response = self.client.get("/api/wallet/")
        assert response.status_code == 200
        return response.json()


@pytest.fixture
def browser(app_client: httpx.Client) -> Browser:
    return Browser(app_client)
