"""Quizzes: scoring of every kind, attempts (order, limits, time, resume, double submits),
no answer leakage, authoring validation, statistics, and the people who may see what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Answer, Choice, Question, QuestionKind, QuizAttempt, Scoring
from courses.selectors import paths_progress, quiz_statistics
from courses.services import (
    QuizError,
    answer_submit,
    quiz_attempt_finish,
    quiz_attempt_start,
    score_choices,
)
from tests.factories import make_article, make_quiz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "scoring", "selected", "points"),
    [
        ("single", "all_or_nothing", {1}, 1.0),
        ("single", "all_or_nothing", {2}, 0.0),
        ("multiple", "all_or_nothing", {1, 2}, 1.0),
        ("multiple", "all_or_nothing", {1}, 0.0),
        ("multiple", "partial", {1, 2}, 1.0),
        ("multiple", "partial", {1}, 0.5),
        ("multiple", "partial", {1, 3}, 0.0),
        ("multiple", "partial", {1, 2, 3}, 0.5),
        ("multiple", "partial", {1, 2, 3, 4}, 0.0),  # ticking everything earns nothing
        ("multiple", "partial", {3}, 0.0),  # never below zero
    ],
)
def test_choice_scoring(kind: str, scoring: str, selected: set[int], points: float) -> None:
    assert (
        score_choices(
            kind=kind,
            scoring=scoring,
            correct={1, 2} if kind == "multiple" else {1},
            selected=selected,
        )
        == points
    )


def _q(quiz, kind: str) -> Question:
    return quiz.questions.get(kind=kind)


def _ids(question: Question, *texts: str) -> list[int]:
    return [c.pk for c in question.choices.all() if c.text in texts]


def test_every_kind_is_scored_on_the_server(alice) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single, multiple = _q(quiz, "single"), _q(quiz, "multiple")
    assert (
        answer_submit(
            attempt=attempt, question=single, choices=_ids(single, "gunicorn")
        ).answer.points
        == 1
    )
    assert (
        answer_submit(
            attempt=attempt, question=multiple, choices=_ids(multiple, "SQLi")
        ).answer.points
        == 0.5
    )
    assert (
        answer_submit(attempt=attempt, question=_q(quiz, "true_false"), value=False).answer.points
        == 0
    )
    assert answer_submit(attempt=attempt, question=_q(quiz, "spot_line"), line=2).answer.points == 1
    finished = quiz_attempt_finish(attempt=attempt)
    assert finished.score == 62.5 and not finished.passed  # pass mark 75


def test_order_is_shuffled_once_and_kept(alice, alice_client: Client) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    assert sorted(attempt.question_order) == sorted(quiz.questions.values_list("pk", flat=True))

    def positions(html: str) -> list[int]:
        return [html.index(f'id="q-{pk}"') for pk in attempt.question_order]

    first = alice_client.get(attempt.get_absolute_url()).content.decode()
    second = alice_client.get(attempt.get_absolute_url()).content.decode()
    assert positions(first) == sorted(positions(first))  # the page follows the stored order
    assert positions(first) == positions(second)
    assert quiz_attempt_start(user=alice, quiz=quiz).pk == attempt.pk  # resumed, not reshuffled


def test_attempt_limit_is_enforced_with_a_message(alice, alice_client: Client) -> None:
    quiz = make_quiz(max_attempts=1)
    quiz_attempt_finish(attempt=quiz_attempt_start(user=alice, quiz=quiz))
    with pytest.raises(QuizError, match="used all 1 attempts"):
        quiz_attempt_start(user=alice, quiz=quiz)
    page = alice_client.post(reverse("courses:quiz-start", args=[quiz.slug]), follow=True)
    assert "used all 1 attempts" in page.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_time_limit_is_enforced_on_the_server(alice, alice_client: Client) -> None:
    quiz = make_quiz(time_limit_minutes=5)
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    assert attempt.deadline_at is not None
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - timedelta(seconds=1)
    )
    attempt.refresh_from_db()
    with pytest.raises(QuizError, match="Time is up"):
        answer_submit(attempt=attempt, question=_q(quiz, "true_false"), value=True)
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.score == 0
    page = alice_client.get(attempt.get_absolute_url(), follow=True)
    assert "Your result" in page.content.decode()


def test_a_second_submit_changes_nothing(alice, alice_client: Client) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    alice_client.post(url, {"choice": _ids(single, "uvicorn")})
    alice_client.post(url, {"choice": _ids(single, "gunicorn")})  # a change of mind, too late
    answer = Answer.objects.get()
    assert answer.points == 0 and list(answer.choices.values_list("text", flat=True)) == ["uvicorn"]
    finish = reverse("courses:attempt-finish", args=[quiz.slug, attempt.pk])
    alice_client.post(finish)
    score = QuizAttempt.objects.get().score
    alice_client.post(finish)
    assert QuizAttempt.objects.get().score == score
    after = alice_client.post(url, {"choice": _ids(single, "gunicorn")}, follow=True)
    assert "This attempt is finished" in after.content.decode()


def test_answers_never_reach_the_browser_before_answering(alice, alice_client: Client) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    html = alice_client.get(attempt.get_absolute_url()).content.decode()
    secrets = (
        "SINGLE-EXPLANATION", "CHOICE-EXPLANATION", "MULTIPLE-EXPLANATION", "TF-EXPLANATION",
        "SPOT-EXPLANATION", "Correct answer", "choice-correct", "line-answer", "Yes it does",
        "building the string is the bug",
    )  # fmt: skip
    for secret in secrets:
        assert secret not in html, secret
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    partial = alice_client.post(url, {"choice": _ids(single, "nginx")}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert (
        "SINGLE-EXPLANATION" in body
        and "CHOICE-EXPLANATION-gunicorn" in body
        and "Incorrect" in body
    )
    assert "MULTIPLE-EXPLANATION" not in body  # only the answered question is revealed


def test_end_feedback_waits_for_the_result(alice, alice_client: Client) -> None:
    quiz = make_quiz(feedback="end")
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    body = alice_client.post(
        url, {"choice": _ids(single, "gunicorn")}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "SINGLE-EXPLANATION" not in body and "feedback at the end" in body
    result = alice_client.post(
        reverse("courses:attempt-finish", args=[quiz.slug, attempt.pk]), follow=True
    )
    html = result.content.decode()
    assert "SINGLE-EXPLANATION" in html and "SPOT-EXPLANATION" in html and "Not answered" in html


def test_bad_answers_get_a_clear_message(alice, alice_client: Client) -> None:
    quiz = make_quiz()
    other = make_quiz("other-quiz")
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    foreign = _ids(_q(other, "single"), "gunicorn")
    assert (
        "could not be read"
        in alice_client.post(url, {"choice": foreign}, follow=True).content.decode()
    )
    assert "Choose an answer first" in alice_client.post(url, {}, follow=True).content.decode()
    spot = _q(quiz, "spot_line")
    spot_url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, spot.pk])
    assert "Pick a line" in alice_client.post(spot_url, {"line": 99}, follow=True).content.decode()
    wrong_q = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, _q(other, "single").pk])
    assert (
        "not part of this attempt"
        in alice_client.post(wrong_q, {"choice": foreign}, follow=True).content.decode()
    )
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_nobody_else_sees_or_answers_alices_attempt(who, request, alice) -> None:
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single = _q(quiz, "single")
    client = Client()
    client.force_login(request.getfixturevalue(who))
    assert client.get(attempt.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("courses:attempt-result", args=[quiz.slug, attempt.pk])).status_code
        == 404
    )
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    assert client.post(url, {"choice": _ids(single, "gunicorn")}).status_code == 404
    assert (
        client.post(reverse("courses:attempt-finish", args=[quiz.slug, attempt.pk])).status_code
        == 404
    )
    assert not Answer.objects.exists() and not QuizAttempt.objects.get().is_finished


def test_visitors_see_the_intro_but_must_sign_in_to_start(client: Client) -> None:
    quiz = make_quiz()
    assert "Sign in to take the quiz" in client.get(quiz.get_absolute_url()).content.decode()
    response = client.post(reverse("courses:quiz-start", args=[quiz.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_drafts_and_preview_are_for_authors(alice_client: Client, client: Client, author) -> None:
    quiz = make_quiz(status="draft")
    assert alice_client.get(quiz.get_absolute_url()).status_code == 404
    assert alice_client.get(reverse("courses:quiz-preview", args=[quiz.slug])).status_code == 403
    client.force_login(author)
    page = client.get(reverse("courses:quiz-preview", args=[quiz.slug])).content.decode()
    assert "SINGLE-EXPLANATION" in page and "nothing is recorded" in page
    assert not QuizAttempt.objects.exists()


def test_intro_shows_attempts_left_and_best_score(alice, alice_client: Client) -> None:
    quiz = make_quiz(max_attempts=3)
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    answer_submit(attempt=attempt, question=_q(quiz, "true_false"), value=True)
    quiz_attempt_finish(attempt=attempt)
    html = alice_client.get(quiz.get_absolute_url()).content.decode()
    assert (
        "<strong>2</strong> attempts left" in html
        and "Your best score: <strong>25%</strong>" in html
    )


def test_statistics_per_question(alice, bob, charlie) -> None:
    quiz = make_quiz()
    single = _q(quiz, "single")
    for user, text in ((alice, "gunicorn"), (bob, "nginx"), (charlie, "nginx")):
        attempt = quiz_attempt_start(user=user, quiz=quiz)
        answer_submit(attempt=attempt, question=single, choices=_ids(single, text))
    stats = {s.question.kind: s for s in quiz_statistics(quiz=quiz)}
    assert stats["single"].answered == 3
    assert round(stats["single"].correct_share, 2) == 0.33
    assert (stats["single"].common_wrong, stats["single"].common_wrong_count) == ("nginx", 2)
    assert stats["true_false"].answered == 0 and stats["true_false"].correct_share is None


def test_passing_completes_the_path_step_best_score_counts(alice, path_with_steps) -> None:
    from courses.models import PathStep

    quiz = make_quiz(pass_mark=50)
    PathStep.objects.create(path=path_with_steps, position=4, kind="quiz", quiz=quiz)
    failing = quiz_attempt_start(user=alice, quiz=quiz)
    quiz_attempt_finish(attempt=failing)
    state = paths_progress(user=alice)[0].steps[-1]
    assert state.started and not state.completed
    passing = quiz_attempt_start(user=alice, quiz=quiz)
    for kind, kwargs in (("true_false", {"value": True}), ("spot_line", {"line": 2})):
        answer_submit(attempt=passing, question=_q(quiz, kind), **kwargs)
    quiz_attempt_finish(attempt=passing)
    quiz_attempt_finish(attempt=quiz_attempt_start(user=alice, quiz=quiz))  # a worse later try
    assert paths_progress(user=alice)[0].steps[-1].completed


def test_admin_refuses_a_single_choice_question_with_two_right_answers(
    client: Client, author
) -> None:
    quiz = make_quiz()
    single = _q(quiz, "single")
    choices = list(single.choices.all())
    data = {
        "quiz": quiz.pk, "position": 1, "kind": "single", "prompt": single.prompt,
        "explanation": single.explanation, "article": "", "scoring": "all_or_nothing",
        "answer": "unknown", "language": "python", "answer_lines": "[]", "line_notes": "{}",
        "choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, choice in enumerate(choices):
        data.update({
            f"choices-{i}-id": choice.pk, f"choices-{i}-question": single.pk,
            f"choices-{i}-position": i, f"choices-{i}-text": choice.text,
            f"choices-{i}-explanation": choice.explanation,
        })  # fmt: skip
        if i < 2:
            data[f"choices-{i}-correct"] = "on"
    client.force_login(author)
    response = client.post(reverse("admin:courses_question_change", args=[single.pk]), data)
    assert response.status_code == 200
    assert "needs exactly one correct choice (it has 2)" in response.content.decode()
    assert Choice.objects.filter(question=single, correct=True).count() == 1


def test_quiz_article_links_point_at_the_section(alice, alice_client: Client) -> None:
    make_article("first-article")
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    body = alice_client.post(
        url, {"choice": _ids(single, "gunicorn")}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'href="/articles/first-article/#details"' in body


def test_kinds_and_scoring_choices_are_complete() -> None:
    assert set(QuestionKind.values) == {"single", "multiple", "true_false", "spot_line"}
    assert set(Scoring.values) == {"all_or_nothing", "partial"}


def test_the_answered_count_moves_as_each_answer_comes_back(alice, alice_client: Client) -> None:
    """The "n of m answered" line above the questions follows the answers given in place."""
    quiz = make_quiz()
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    total = quiz.questions.count()
    page = alice_client.get(attempt.get_absolute_url()).content.decode()
    assert f"0 of {total} answered" in page
    single = _q(quiz, "single")
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, single.pk])
    body = alice_client.post(
        url, {"choice": _ids(single, "nginx")}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="quiz-status" hx-swap-oob="true"' in body
    assert f"1 of {total} answered" in body
