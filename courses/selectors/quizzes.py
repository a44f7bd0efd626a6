"""What quiz pages read: an attempt's questions in its own order, scores and statistics."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q

from courses.models import (
    Answer,
    Choice,
    FeedbackMode,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
)
from portal.lib.highlighting import CodeLine, highlighted_lines


@dataclass(frozen=True)
class QuestionView:
    question: Question
    number: int
    choices: list[Choice]
    answer: Answer | None
    show_feedback: bool
    code_lines: list[CodeLine]

    @property
    def chosen_ids(self) -> set[int]:
        return {c.pk for c in self.answer.choices.all()} if self.answer else set()

    @property
    def line_note(self) -> str:
        if not self.answer or self.answer.line is None:
            return ""
        return self.question.line_notes_html.get(str(self.answer.line), "")

    @property
    def verdict(self) -> str:
        if not self.answer:
            return ""
        if self.answer.points >= 0.999:
            return "correct"
        return "partly correct" if self.answer.points > 0 else "incorrect"


def attempt_questions(*, attempt: QuizAttempt) -> list[QuestionView]:
    """The attempt's questions in its own order, choices in its own order, with answers."""
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=attempt.question_order).prefetch_related("choices")
    }
    answers = {
        a.question_id: a for a in Answer.objects.filter(attempt=attempt).prefetch_related("choices")
    }
    immediate = attempt.quiz.feedback == FeedbackMode.IMMEDIATE
    views = []
    for number, pk in enumerate(attempt.question_order, start=1):
        question = questions.get(pk)
        if question is None:
            continue  # removed by an author since the attempt started
        by_id = {c.pk: c for c in question.choices.all()}
        order = attempt.choice_order.get(str(pk), list(by_id))
        choices = [by_id[c] for c in order if c in by_id] + [
            c for c in by_id.values() if c.pk not in order
        ]
        answer = answers.get(pk)
        views.append(
            QuestionView(
                question=question,
                number=number,
                choices=choices,
                answer=answer,
                show_feedback=answer is not None and (immediate or attempt.is_finished),
                code_lines=highlighted_lines(question.code, question.language)
                if question.code
                else [],
            )
        )
    return views


def best_attempt(*, user: Any, quiz: Quiz) -> QuizAttempt | None:
    """The learner's highest-scoring finished attempt (the earliest of equal scores)."""
    return (
        QuizAttempt.objects.filter(user=user, quiz=quiz, finished_at__isnull=False)
        .order_by("-score", "finished_at")
        .first()
    )


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    answered: int
    correct_share: float | None
    common_wrong: str
    common_wrong_count: int


def quiz_statistics(*, quiz: Quiz) -> list[QuestionStats]:
    """Per question: how many answered, the share fully correct, the most chosen wrong answer."""
    questions = list(quiz.questions.prefetch_related("choices"))
    answers: dict[int, list[Any]] = {q.pk: [] for q in questions}
    for answer in Answer.objects.filter(question__quiz=quiz).prefetch_related("choices"):
        answers[answer.question_id].append(answer)
    stats = []
    for question in questions:
        given = answers[question.pk]
        wrong: Counter[str] = Counter()
        for answer in given:
            if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                for choice in answer.choices.all():
                    if not choice.correct:
                        wrong[choice.text] += 1
            elif question.kind == QuestionKind.TRUE_FALSE and answer.value != question.answer:
                wrong["True" if answer.value else "False"] += 1
            elif (
                question.kind == QuestionKind.SPOT_LINE and answer.line not in question.answer_lines
            ):
                wrong[f"line {answer.line}"] += 1
        top = wrong.most_common(1)
        stats.append(
            QuestionStats(
                question=question,
                answered=len(given),
                correct_share=(sum(a.points >= 0.999 for a in given) / len(given))
                if given
                else None,
                common_wrong=top[0][0] if top else "",
                common_wrong_count=top[0][1] if top else 0,
            )
        )
    return stats


@dataclass(frozen=True)
class QuizCard:
    quiz: Quiz
    questions: int
    best_score: float | None
    passed: bool


def quiz_list(*, user: Any) -> list[QuizCard]:
    """Quizzes the viewer may see, with the viewer's best score, in two queries."""
    quizzes = list(Quiz.objects.visible_to(user).annotate(n=Count("questions")).order_by("title"))
    best: dict[int, tuple[float, bool]] = {}
    if getattr(user, "is_authenticated", False):
        rows = (
            QuizAttempt.objects.filter(user=user, finished_at__isnull=False)
            .values("quiz_id")
            .annotate(top=Max("score"), passes=Count("pk", filter=Q(passed=True)))
        )
        best = {r["quiz_id"]: (r["top"], r["passes"] > 0) for r in rows}
    return [
        QuizCard(q, q.n, best.get(q.pk, (None, False))[0], best.get(q.pk, (None, False))[1])
        for q in quizzes
    ]
