"""Every URL pattern that takes no argument answers sensibly, signed out and signed in: never a 5xx.

New apps add URLs; this test picks them up by itself, so it keeps growing with the site.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import User

pytestmark = pytest.mark.django_db

# Endpoints that only accept POST answer a signed-in GET with 405; listed here on purpose.
POST_ONLY: set[str] = {"/articles/preview/"}


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
        assert status in (302, 405), path  # anonymous: to sign-in first
        return
    assert status in (200, 302, 403, 404), f"{path} answered {status}"
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


def _object_paths() -> list[str]:
    """Pages of every object in the content: articles, paths and labs."""
    from courses.models import Article, LearningPath, Quiz
    from labs.models import Lab

    return (
        [q.get_absolute_url() for q in Quiz.objects.all()]
        + [f"/quizzes/{q.slug}/preview/" for q in Quiz.objects.all()]
        + [a.get_absolute_url() for a in Article.objects.all()]
        + [p.get_absolute_url() for p in LearningPath.objects.all()]
        + [lab.get_absolute_url() for lab in Lab.objects.all()]
    )


def test_crawl_of_every_content_page(client: Client, alice: User, author, tmp_path) -> None:
    """With the real content loaded, every article, path and lab page answers sensibly to all."""
    import shutil

    from django.conf import settings

    from courses import content_files
    from tests.factories import store_path_labs

    store_path_labs()
    for folder in ("articles", "paths", "quizzes"):
        shutil.copytree(settings.CONTENT_DIR / folder, tmp_path / folder)
    content_files.load(content_dir=tmp_path)
    paths = _object_paths()
    assert len(paths) >= 12
    for who in (None, alice, author):
        if who is not None:
            client.force_login(who)
        for path in paths:
            _assert_sensible(client, path)
