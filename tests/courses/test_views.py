"""Learning pages as a visitor, Alice (learner), Bob (manager), Charlie (outsider) and an author."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import ArticleProgress, LearningPath, Status
from courses.selectors import paths_progress
from labs.services import lab_session_start
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_learn_lists_paths_and_articles_for_everyone(client: Client, path_with_steps) -> None:
    html = client.get(reverse("courses:learn")).content.decode()
    assert "Starter path" in html and "First Article" in html and "Second Article" in html


def test_learn_filters_by_framework_and_topic(client: Client, path_with_steps) -> None:
    html = client.get(reverse("courses:learn") + "?framework=django").content.decode()
    assert "Second Article" in html and "First Article" not in html
    html = client.get(reverse("courses:learn") + "?topic=CWE-489").content.decode()
    assert "First Article" in html and "Second Article" not in html
    bad = client.get(reverse("courses:learn") + "?framework=<b>&topic=%00")
    assert bad.status_code == 200


def test_article_page_has_toc_badges_and_next_step(client: Client, path_with_steps) -> None:
    url = reverse("courses:article-detail", args=["first-article"]) + "?path=starter-path"
    html = client.get(url).content.decode()
    assert "On this page" in html and 'href="#details"' in html
    assert "badge-flask" in html
    assert ("Next in" in html and "Debug mode in production" in html) or "the lab" in html


def test_drafts_are_only_for_authors(client: Client, alice, author) -> None:
    make_article("hidden-draft", status=Status.DRAFT)
    url = reverse("courses:article-detail", args=["hidden-draft"])
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 404
    assert "hidden-draft" not in client.get(reverse("courses:learn")).content.decode()
    client.force_login(author)
    page = client.get(url).content.decode()
    assert "only authors can see this article" in page


def test_draft_path_is_only_for_authors(client: Client, alice, author, path_with_steps) -> None:
    LearningPath.objects.filter(pk=path_with_steps.pk).update(status=Status.DRAFT)
    url = path_with_steps.get_absolute_url()
    client.force_login(alice)
    assert client.get(url).status_code == 404
    client.force_login(author)
    assert "only authors can see this path" in client.get(url).content.decode()


def test_opening_then_marking_read_moves_progress(
    alice_client: Client, alice, path_with_steps
) -> None:
    alice_client.post(reverse("courses:article-start", args=["first-article"]))
    progress = ArticleProgress.objects.get(user=alice)
    assert progress.started_at and progress.completed_at is None
    response = alice_client.post(
        reverse("courses:article-read", args=["first-article"]), {"path": "starter-path"}
    )
    assert response["Location"] == path_with_steps.get_absolute_url()
    html = alice_client.get(path_with_steps.get_absolute_url()).content.decode()
    assert "<strong>1 of 3</strong>" in html
    assert "Continue where you left off" in html


def test_a_solved_lab_completes_its_step(alice, path_with_steps, flask_lab) -> None:
    session = lab_session_start(user=alice, lab=flask_lab)
    session.solved_at = session.created_at
    session.save()
    (state,) = [s for s in paths_progress(user=alice)[0].steps if s.step.kind == "lab"]
    assert state.completed


def test_home_offers_to_continue(alice_client: Client, path_with_steps) -> None:
    alice_client.post(reverse("courses:article-read", args=["first-article"]))
    html = alice_client.get("/").content.decode()
    assert "Continue where you left off" in html and "Debug mode in production" in html


def test_progress_is_private(client: Client, alice, bob, charlie, path_with_steps) -> None:
    client.force_login(alice)
    client.post(reverse("courses:article-read", args=["first-article"]))
    for other in (bob, charlie):
        client.force_login(other)
        html = client.get(reverse("courses:my-progress")).content.decode()
        assert "Nothing marked as read yet" in html
    assert client.get(reverse("courses:my-progress")).status_code == 200


def test_my_progress_and_mark_read_need_sign_in(client: Client, path_with_steps) -> None:
    assert client.get(reverse("courses:my-progress")).status_code == 302
    response = client.post(reverse("courses:article-read", args=["first-article"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ArticleProgress.objects.exists()


def test_mark_read_requires_post(alice_client: Client, path_with_steps) -> None:
    assert (
        alice_client.get(reverse("courses:article-read", args=["first-article"])).status_code == 405
    )


def test_preview_is_for_authors_only(client: Client, alice, author) -> None:
    url = reverse("courses:article-preview")
    client.force_login(alice)
    assert client.post(url, {"body": "# hi"}).status_code == 403
    client.force_login(author)
    data = client.post(url, {"body": "## Hi\n\n<script>x</script>"}).json()
    assert '<h2 id="hi">Hi</h2>' in data["html"] and "<script" not in data["html"]


def test_path_progress_query_count_does_not_grow(
    alice, path_with_steps, django_assert_max_num_queries
) -> None:
    for i in range(12):
        extra = LearningPath.objects.create(
            slug=f"p{i}", title=f"P{i}", summary="s", status="published"
        )
        for step in path_with_steps.steps.all():
            step.pk = None
            step.path = extra
            step.save()
    with django_assert_max_num_queries(6):
        result = paths_progress(user=alice)
    assert len(result) == 13


def test_author_can_edit_articles_in_admin(client: Client, author, alice, path_with_steps) -> None:
    client.force_login(author)
    assert client.get(reverse("admin:courses_article_changelist")).status_code == 200
    article = path_with_steps.steps.first().article
    assert client.get(reverse("admin:courses_article_change", args=[article.pk])).status_code == 200
    assert (
        client.get(
            reverse("admin:courses_learningpath_change", args=[path_with_steps.pk])
        ).status_code
        == 200
    )
    client.force_login(alice)
    assert client.get(reverse("admin:courses_article_changelist")).status_code == 302


def test_article_lists_quizzes_that_point_back_at_it(client: Client, path_with_steps) -> None:
    from tests.factories import make_quiz

    make_quiz()  # its first question links first-article#details
    html = client.get(reverse("courses:article-detail", args=["first-article"])).content.decode()
    assert "Tiny quiz" in html


def test_learn_and_progress_list_quizzes_with_best_scores(alice, alice_client: Client) -> None:
    from courses.services import answer_submit, quiz_attempt_finish, quiz_attempt_start
    from tests.factories import make_quiz

    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    answer_submit(attempt=attempt, question=quiz.questions.get(kind="true_false"), value=True)
    quiz_attempt_finish(attempt=attempt)
    assert "best 25%" in alice_client.get(reverse("courses:learn")).content.decode()
    assert "best 25%" in alice_client.get(reverse("courses:my-progress")).content.decode()
