"""Taking quizzes: starting or resuming an attempt, answering, finishing; all scored here."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import Answer, Question, QuestionKind, Quiz, QuizAttempt, Scoring
from portal.models import User


class QuizError(Exception):
    """Something the learner can act on; the message is shown as it is."""


def score_choices(*, kind: str, scoring: str, correct: set[int], selected: set[int]) -> float:
    """Points (0 to 1) for a choice question.

    Partial credit gives each correct pick an equal share and takes one share off for each wrong
    pick, never below 0: ticking every box cannot earn marks.
    """
    if kind == QuestionKind.SINGLE or scoring != Scoring.PARTIAL:
        return 1.0 if selected == correct else 0.0
    if not correct:
        return 0.0
    hits = len(selected & correct)
    misses = len(selected - correct)
    return max(0.0, (hits - misses) / len(correct))


def score_answer(
    question: Question, *, choices: set[int], value: bool | None, line: int | None
) -> float:
    """Points (0 to 1) for an answer of any kind; only the server decides what is correct."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        correct = {c.pk for c in question.choices.all() if c.correct}
        return score_choices(
            kind=question.kind, scoring=question.scoring, correct=correct, selected=choices
        )
    if question.kind == QuestionKind.TRUE_FALSE:
        return 1.0 if value is not None and value == question.answer else 0.0
    return 1.0 if line is not None and line in question.answer_lines else 0.0


def attempts_left(*, user: User, quiz: Quiz) -> int | None:
    """None when unlimited."""
    if not quiz.max_attempts:
        return None
    used = QuizAttempt.objects.filter(user=user, quiz=quiz).count()
    return max(0, quiz.max_attempts - used)


def quiz_attempt_start(*, user: User, quiz: Quiz) -> QuizAttempt:
    """Resume the learner's unfinished attempt, or start a new one with a fixed shuffle."""
    with transaction.atomic():
        open_attempt = (
            QuizAttempt.objects.select_for_update()
            .filter(user=user, quiz=quiz, finished_at__isnull=True)
            .first()
        )
        if open_attempt is not None:
            if open_attempt.is_expired():
                quiz_attempt_finish(attempt=open_attempt)
            else:
                return open_attempt
        left = attempts_left(user=user, quiz=quiz)
        if left == 0:
            raise QuizError(f"You have used all {quiz.max_attempts} attempts at this quiz.")
        rng = random.SystemRandom()
        questions = list(quiz.questions.prefetch_related("choices"))
        if quiz.shuffle_questions:
            rng.shuffle(questions)
        choice_order = {}
        for question in questions:
            ids = [c.pk for c in question.choices.all()]
            if quiz.shuffle_choices:
                rng.shuffle(ids)
            choice_order[str(question.pk)] = ids
        now = timezone.now()
        return QuizAttempt.objects.create(
            user=user,
            quiz=quiz,
            question_order=[q.pk for q in questions],
            choice_order=choice_order,
            started_at=now,
            deadline_at=now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None,
        )


@dataclass(frozen=True)
class AnswerResult:
    answer: Answer
    created: bool


def answer_submit(
    *,
    attempt: QuizAttempt,
    question: Question,
    choices: list[int] | None = None,
    value: bool | None = None,
    line: int | None = None,
) -> AnswerResult:
    """Record and score one answer. The first answer counts: a repeat changes nothing."""
    if question.quiz_id != attempt.quiz_id or question.pk not in attempt.question_order:
        raise QuizError("That question is not part of this attempt.")
    if attempt.is_finished:
        raise QuizError("This attempt is finished; start a new one to answer again.")
    if attempt.is_expired():
        quiz_attempt_finish(attempt=attempt)
        raise QuizError("Time is up: your answers so far have been scored.")
    existing = Answer.objects.filter(attempt=attempt, question=question).first()
    if existing is not None:
        return AnswerResult(existing, created=False)
    chosen = set(choices or [])
    valid = {c.pk for c in question.choices.all()}
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not chosen:
            raise QuizError("Choose an answer first.")
        if not chosen <= valid:
            raise QuizError("That choice does not belong to this question.")
        if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
            raise QuizError("Choose exactly one answer.")
    elif question.kind == QuestionKind.TRUE_FALSE:
        if value is None:
            raise QuizError("Choose true or false first.")
    elif line is None or not 1 <= line <= len(question.code_lines):
        raise QuizError("Pick a line of the code first.")
    points = score_answer(question, choices=chosen, value=value, line=line)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                attempt=attempt, question=question, value=value, line=line, points=points
            )
            if chosen:
                answer.choices.set(chosen)
    except IntegrityError:  # a double submit raced us: the first one stands
        return AnswerResult(Answer.objects.get(attempt=attempt, question=question), created=False)
    return AnswerResult(answer, created=True)


def quiz_attempt_finish(*, attempt: QuizAttempt) -> QuizAttempt:
    """Score the attempt from its stored answers (unanswered questions score 0). Idempotent."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.finished_at is not None:
            return attempt
        total = len(attempt.question_order)
        earned = sum(attempt.answers.values_list("points", flat=True))
        attempt.score = round(100 * earned / total, 1) if total else 0.0
        attempt.passed = attempt.score >= attempt.quiz.pass_mark
        attempt.finished_at = timezone.now()
        attempt.save(update_fields=["score", "passed", "finished_at"])
    return attempt
