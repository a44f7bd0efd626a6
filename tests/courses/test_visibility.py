"""One rule for articles, paths and quizzes: learners and visitors see what is published, authors
see drafts too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from courses.models import Article, LearningPath, PublishableQuerySet, Quiz, Status
from tests.factories import make_article, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafts_and_published() -> None:
    make_article("live-article")
    make_article("draft-article", status=Status.DRAFT)
    scheduled = make_article("scheduled-article")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() + dt.timedelta(days=3)
    )
    for slug, status in (("live-path", Status.PUBLISHED), ("draft-path", Status.DRAFT)):
        LearningPath.objects.create(slug=slug, title=slug, summary="s", status=status)
    make_quiz("live-quiz")
    make_quiz("draft-quiz", status=Status.DRAFT)


def test_every_publishable_model_shares_one_queryset_base() -> None:
    for model in (Article, LearningPath, Quiz):
        assert isinstance(model.objects.all(), PublishableQuerySet)


@pytest.mark.usefixtures("drafts_and_published")
@pytest.mark.parametrize("viewer", ["anonymous", "alice"])
def test_learners_and_visitors_see_only_published_content(viewer: str, request) -> None:
    user = AnonymousUser() if viewer == "anonymous" else request.getfixturevalue(viewer)
    assert {a.slug for a in Article.objects.visible_to(user)} == {"live-article"}
    assert {p.slug for p in LearningPath.objects.visible_to(user)} == {"live-path"}
    assert {q.slug for q in Quiz.objects.visible_to(user)} == {"live-quiz"}


@pytest.mark.usefixtures("drafts_and_published")
def test_authors_see_drafts_and_scheduled_articles_too(author) -> None:
    assert Article.objects.visible_to(author).count() == 3
    assert LearningPath.objects.visible_to(author).count() == 2
    assert Quiz.objects.visible_to(author).count() == 2


@pytest.mark.usefixtures("drafts_and_published")
def test_an_article_scheduled_for_later_is_not_published_yet() -> None:
    assert not Article.objects.published().filter(slug="scheduled-article").exists()
    assert Quiz.objects.published().get().slug == "live-quiz"
