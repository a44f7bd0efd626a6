"""In a real browser: opening an article records nothing until the reader acts on the page; the
first key press sends the start, with the page's CSRF token."""

from __future__ import annotations

import pytest

from courses.models import ArticleProgress
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_article_is_started_by_the_readers_first_interaction(
    live_server, page, alice, password, path_with_steps
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + "/articles/first-article/#details")
    page.wait_for_load_state("networkidle")
    assert not ArticleProgress.objects.filter(user=alice).exists()

    with page.expect_response(lambda r: r.url.endswith("/articles/first-article/start/")) as sent:
        page.keyboard.press("End")
    assert sent.value.status == 204
    progress = ArticleProgress.objects.get(user=alice)
    assert progress.started_at and progress.completed_at is None
    page.mouse.wheel(0, 400)
    page.wait_for_load_state("networkidle")
    assert ArticleProgress.objects.filter(user=alice).count() == 1
    assert page.js_errors == []
