"""Helpers for the hidden checks: log in with a `next`, read a redirect as a browser would."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

PASSWORDS = {
    "nadia": "Inkwell-Harbour-1987",
    "mallory": "mallory-pass-1",
    "theo": "theo-writes-at-night",
}
SITE_HOST = "localhost"
FORUM_HOST = "forum.inkpot.example"
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


def landing_host(location: str) -> str | None:
    """The host a browser on http://localhost/ goes to for this Location (None: this site).

    A simplified WHATWG URL parser: leading control characters and spaces are dropped, tabs and
    newlines anywhere are dropped, backslashes count as slashes, "///host" and "https:host" are
    other hosts, and a scheme other than http(s) (javascript:, data:) counts as leaving.
    """
    url = location.lstrip(C0_AND_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    url = url.replace("\\", "/")
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if scheme:
        name = scheme.group(1).lower()
        rest = url[scheme.end() :]
        if name not in {"http", "https"}:
            return f"{name}:"
        if name == "http" and not rest.startswith("//"):
            return None  # same scheme as the page, no slashes: a relative path
        return _host(rest)
    if url.startswith("//"):
        return _host(url)
    return None


def _host(rest: str) -> str:
    authority = re.split(r"[/?#]", rest.lstrip("/"), maxsplit=1)[0]
    host = authority.rsplit("@", 1)[-1]
    host = re.sub(r":\d*$", "", host)
    return unquote(host).lower().rstrip(".")


def assert_stays_home(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, f"{what}: server error {response.status_code}"
    location = response.headers.get("Location")
    if location is None:
        return
    host = landing_host(location)
    assert host in (None, SITE_HOST, FORUM_HOST), f"{what}: the redirect leads to {host!r}"
    if host == FORUM_HOST:
        parts = urlsplit(location.strip())
        assert parts.scheme in {"http", "https"} and parts.netloc == FORUM_HOST, (
            f"{what}: an unusual address for the forum: {location!r}"
        )


def ticket_in(location: str) -> str | None:
    values = parse_qs(urlsplit(location).query).get("ticket")
    return values[-1] if values else None


class Browser:
    """One browser on Inkpot; it records every response, even ones httpx cannot follow."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.last: httpx.Response | None = None
        client.event_hooks["response"].append(self._remember)

    def _remember(self, response: httpx.Response) -> None:
        self.last = response

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        self.last = None
        try:
            return self.client.request(method, path, **kwargs)
        except httpx.InvalidURL:
            # httpx could not parse the Location (e.g. "https:host"); the response is still here.
            assert self.last is not None
            return self.last

    def login_form(self, next_url: str | None = None) -> str:
        params = {"next": next_url} if next_url is not None else None
        page = self.request("GET", "/accounts/login/", params=params)
        assert page.status_code == 200
        return page.text

    def log_in(self, username: str, next_url: str | None = None, *, via: str = "form"):
        """Log in; ``via`` "form" posts next as a field, "query" keeps it in the address."""
        self.client.cookies.clear()
        page = self.login_form(next_url if via == "query" else None)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORDS[username]}
        params = None
        if next_url is not None and via == "form":
            data["next"] = next_url
        if next_url is not None and via == "query":
            params = {"next": next_url}
        return self.request("POST", "/accounts/login/", data=data, params=params)

    def log_out(self, next_url: str) -> httpx.Response:
        page = self.request("GET", "/drafts/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(
            "POST", "/accounts/logout/", data={"csrfmiddlewaretoken": token, "next": next_url}
        )


@pytest.fixture
def browser(app_client: httpx.Client) -> Browser:
    return Browser(app_client)
