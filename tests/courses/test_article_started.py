"""Opening an article records nothing; the reader's own interaction (a POST with the page's CSRF
token) marks it started, so a link from another site cannot change anyone's progress."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import ArticleProgress, LearningPath, Status
from courses.selectors import continue_learning
from portal.models import User
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/first-article/"
START = reverse("courses:article-start", args=["first-article"])


def test_opening_an_article_records_nothing(
    alice_client: Client, alice: User, path_with_steps: LearningPath
) -> None:
    html = alice_client.get(ARTICLE).content.decode()
    alice_client.get(ARTICLE + "?path=starter-path")
    assert not ArticleProgress.objects.exists()
    assert continue_learning(user=alice) is None
    assert f'action="{START}" data-article-start' in html  # what the page's script posts
    assert "js/article-progress." in html


def test_the_readers_post_marks_the_article_started(
    alice_client: Client, alice: User, path_with_steps: LearningPath
) -> None:
    response = alice_client.post(START)
    assert response.status_code == 204
    progress = ArticleProgress.objects.get(user=alice)
    assert progress.started_at and progress.completed_at is None
    html = alice_client.get(path_with_steps.get_absolute_url()).content.decode()
    assert '<span class="small muted">started</span>' in html and "<strong>0 of 3</strong>" in html
    assert continue_learning(user=alice) is not None
    again = alice_client.get(ARTICLE).content.decode()
    assert "data-article-start" not in again and "js/article-progress." not in again
    alice_client.post(START)
    assert ArticleProgress.objects.count() == 1


def test_a_cross_site_post_without_the_token_is_refused(
    alice: User, path_with_steps: LearningPath
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(START).status_code == 403
    assert not ArticleProgress.objects.exists()


def test_starting_needs_sign_in_a_post_and_a_visible_article(
    client: Client, alice_client: Client, path_with_steps: LearningPath
) -> None:
    response = client.post(START)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert alice_client.get(START).status_code == 405
    make_article("draft-article", status=Status.DRAFT)
    draft = reverse("courses:article-start", args=["draft-article"])
    assert alice_client.post(draft).status_code == 404
    assert not ArticleProgress.objects.exists()


def test_visitors_get_no_start_form(client: Client, path_with_steps: LearningPath) -> None:
    html = client.get(ARTICLE).content.decode()
    assert "data-article-start" not in html and "js/article-progress." not in html
