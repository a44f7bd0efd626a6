"""Every URL pattern that takes no argument answers sensibly, signed out and signed in: never a 5xx.

New apps add URLs; this test picks them up by itself, so it keeps growing with the site.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import User

pytestmark = pytest.mark.django_db

# Pages that only accept POST answer GET with 405; they are listed here on purpose.
POST_ONLY: set[str] = set()


def _argless_paths() -> list[str]:
    """Walk the URL tree and keep every route with no parameters."""
    found: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(?P" in route or "(" in route:
                continue
            route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


PATHS = _argless_paths()


def test_crawl_finds_the_main_pages() -> None:
    for expected in ("/", "/healthz", "/learn/", "/labs/", "/accounts/login/", "/admin/"):
        assert expected in PATHS


def _assert_sensible(client: Client, path: str) -> None:
    response = client.get(path)
    status = response.status_code
    if path in POST_ONLY:
        assert status == 405, path
        return
    assert status in (200, 302, 404), f"{path} answered {status}"
    if status == 302:
        location = response["Location"]
        assert location.startswith("/"), f"{path} redirects off-site to {location}"


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_crawl_never_errors(client: Client, path: str) -> None:
    _assert_sensible(client, path)


@pytest.mark.parametrize("path", PATHS)
def test_learner_crawl_never_errors(client: Client, alice: User, path: str) -> None:
    client.force_login(alice)
    _assert_sensible(client, path)
