"""A published path never names or links a step learners cannot open: a draft or scheduled
article, an unpublished quiz or lab. Authors still see such steps, marked as drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Article, LearningPath, PathStep, Status, StepKind
from courses.selectors import next_in_path, path_summaries, paths_progress
from labs.models import Lab
from portal.models import User
from tests.factories import make_article, make_quiz

pytestmark = pytest.mark.django_db

HIDDEN_TITLES = ("Secret Draft Article", "Secret Scheduled Article", "Secret Draft Quiz")
HIDDEN_SLUGS = ("secret-draft", "secret-scheduled", "secret-quiz")


@pytest.fixture
def mixed_path(path_with_steps: LearningPath) -> LearningPath:
    """The starter path (first article, Flask lab, second article) with, between the first
    article and the lab, a draft article, a scheduled article and a draft quiz."""
    make_article("secret-draft", title="Secret Draft Article", status=Status.DRAFT)
    scheduled = make_article("secret-scheduled", title="Secret Scheduled Article")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() + dt.timedelta(days=3)
    )
    quiz = make_quiz("secret-quiz", status=Status.DRAFT)
    quiz.title = "Secret Draft Quiz"
    quiz.save()
    path_with_steps.steps.filter(position__gte=2).update(position=F("position") + 10)
    for position, kind, target in (
        (2, StepKind.ARTICLE, {"article": Article.objects.get(slug="secret-draft")}),
        (3, StepKind.ARTICLE, {"article": Article.objects.get(slug="secret-scheduled")}),
        (4, StepKind.QUIZ, {"quiz": quiz}),
    ):
        PathStep.objects.create(path=path_with_steps, position=position, kind=kind, **target)
    return path_with_steps


def _assert_hidden(html: str) -> None:
    for text in (*HIDDEN_TITLES, *HIDDEN_SLUGS):
        assert text not in html, text


@pytest.mark.parametrize("viewer", ["anonymous", "alice"])
def test_path_page_hides_unpublished_steps(
    client: Client, mixed_path: LearningPath, viewer: str, request
) -> None:
    if viewer == "alice":
        client.force_login(request.getfixturevalue("alice"))
    response = client.get(mixed_path.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    _assert_hidden(html)
    assert "First Article" in html and "Second Article" in html
    if viewer == "alice":
        assert "<strong>0 of 3</strong>" in html  # the three steps she can open


def test_learn_page_counts_only_steps_learners_can_open(
    client: Client, mixed_path: LearningPath
) -> None:
    html = client.get(reverse("courses:learn")).content.decode()
    assert "3 steps" in html
    _assert_hidden(html)


def test_progress_and_home_never_point_at_a_hidden_step(
    alice_client: Client, alice: User, mixed_path: LearningPath
) -> None:
    alice_client.post(reverse("courses:article-read", args=["first-article"]))
    (progress,) = paths_progress(user=alice)
    assert [s.step.kind for s in progress.steps] == ["article", "lab", "article"]
    assert progress.total == 3 and progress.done == 1
    assert progress.next_step is not None and progress.next_step.step.kind == StepKind.LAB
    for page in ("/", reverse("courses:my-progress"), reverse("courses:learn")):
        _assert_hidden(alice_client.get(page).content.decode())


def test_next_in_path_skips_hidden_steps(
    alice_client: Client, alice: User, mixed_path: LearningPath
) -> None:
    first = Article.objects.get(slug="first-article")
    found = next_in_path(article=first, path_slug=mixed_path.slug, user=alice)
    assert found is not None and found[1].kind == StepKind.LAB
    html = alice_client.get(first.get_absolute_url() + "?path=starter-path").content.decode()
    assert "Next in" in html
    _assert_hidden(html)
    response = alice_client.post(
        reverse("courses:article-read", args=["first-article"]), {"path": mixed_path.slug}
    )
    assert response["Location"] == mixed_path.get_absolute_url()


def test_a_path_step_on_a_scheduled_article_appears_once_its_date_has_come(
    client: Client, mixed_path: LearningPath
) -> None:
    Article.objects.filter(slug="secret-scheduled").update(
        published_at=timezone.now() - dt.timedelta(minutes=1)
    )
    html = client.get(mixed_path.get_absolute_url()).content.decode()
    assert "Secret Scheduled Article" in html
    assert "Secret Draft Article" not in html


def test_next_step_after_an_article_links_a_published_quiz(
    alice_client: Client, path_with_steps: LearningPath
) -> None:
    quiz = make_quiz("next-quiz")
    path_with_steps.steps.filter(position__gte=2).delete()
    PathStep.objects.create(path=path_with_steps, position=2, kind=StepKind.QUIZ, quiz=quiz)
    html = alice_client.get("/articles/first-article/?path=starter-path").content.decode()
    assert f'href="{quiz.get_absolute_url()}"' in html


def test_authors_see_hidden_steps_marked_as_drafts(
    client: Client, author: User, mixed_path: LearningPath
) -> None:
    client.force_login(author)
    html = client.get(mixed_path.get_absolute_url()).content.decode()
    for title in HIDDEN_TITLES:
        assert title in html
    assert html.count("only authors see this step") == 3


def test_team_path_summaries_count_only_steps_learners_can_open(
    alice: User, mixed_path: LearningPath, flask_lab: Lab
) -> None:
    summary = path_summaries(user_ids=[alice.pk], path_ids=[mixed_path.pk])[
        (alice.pk, mixed_path.pk)
    ]
    assert summary.total == 3
