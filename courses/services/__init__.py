"""Writes of the courses app, one module per concept; everything is re-exported here."""

from __future__ import annotations

from courses.services.articles import article_publish, article_unpublish
from courses.services.progress import article_mark_read, article_started
from courses.services.quizzes import (
    AnswerResult,
    QuizError,
    answer_submit,
    attempts_left,
    quiz_attempt_finish,
    quiz_attempt_start,
    score_answer,
    score_choices,
)

__all__ = [
    "AnswerResult",
    "QuizError",
    "answer_submit",
    "article_mark_read",
    "article_publish",
    "article_started",
    "article_unpublish",
    "attempts_left",
    "quiz_attempt_finish",
    "quiz_attempt_start",
    "score_answer",
    "score_choices",
]
