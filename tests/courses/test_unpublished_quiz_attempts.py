"""Taking a quiz back to draft closes every attempt at it for learners: no questions, answers,
explanations or score stay reachable through an attempt's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Answer, Quiz, QuizAttempt, Status
from courses.services import answer_submit, quiz_attempt_finish, quiz_attempt_start
from portal.models import User
from tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def _unpublish(quiz: Quiz) -> None:
    Quiz.objects.filter(pk=quiz.pk).update(status=Status.DRAFT)


def _single(quiz: Quiz):
    question = quiz.questions.get(kind="single")
    return question, [c.pk for c in question.choices.all() if c.text == "gunicorn"]


def test_an_open_attempt_stops_working_once_its_quiz_is_unpublished(
    alice: User, alice_client: Client
) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    question, choice = _single(quiz)
    _unpublish(quiz)
    args = [quiz.slug, attempt.pk]
    assert alice_client.get(attempt.get_absolute_url()).status_code == 404
    answer = reverse("courses:answer-create", args=[*args, question.pk])
    assert alice_client.post(answer, {"choice": choice}).status_code == 404
    assert alice_client.post(answer, {"choice": choice}, HTTP_HX_REQUEST="true").status_code == 404
    assert alice_client.post(reverse("courses:attempt-finish", args=args)).status_code == 404
    assert alice_client.get(reverse("courses:attempt-result", args=args)).status_code == 404
    assert alice_client.post(reverse("courses:quiz-start", args=[quiz.slug])).status_code == 404
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert not attempt.is_finished


def test_a_finished_attempts_result_is_gone_with_its_quiz(
    alice: User, alice_client: Client
) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    question, choice = _single(quiz)
    answer_submit(attempt=attempt, question=question, choices=choice)
    quiz_attempt_finish(attempt=attempt)
    result = reverse("courses:attempt-result", args=[quiz.slug, attempt.pk])
    assert "SINGLE-EXPLANATION" in alice_client.get(result).content.decode()
    _unpublish(quiz)
    response = alice_client.get(result)
    assert response.status_code == 404
    assert "SINGLE-EXPLANATION" not in response.content.decode()
    assert "Tiny quiz" not in alice_client.get(reverse("courses:my-progress")).content.decode()
    assert QuizAttempt.objects.filter(pk=attempt.pk).exists()  # kept for a later re-publish


def test_authors_may_still_take_and_review_a_draft_quiz(client: Client, author: User) -> None:
    quiz = make_quiz(status=Status.DRAFT)
    client.force_login(author)
    response = client.post(reverse("courses:quiz-start", args=[quiz.slug]))
    attempt = QuizAttempt.objects.get(user=author)
    assert response["Location"] == attempt.get_absolute_url()
    assert client.get(attempt.get_absolute_url()).status_code == 200
