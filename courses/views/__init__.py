"""Learning pages, one module per concept; ``courses/urls.py`` reaches every view through here."""

from __future__ import annotations

from courses.views.articles import (
    article_detail,
    article_preview,
    article_preview_frame,
    article_read,
    article_start,
)
from courses.views.paths import learn_index, path_detail
from courses.views.progress import my_progress
from courses.views.quizzes import (
    answer_create,
    attempt_detail,
    attempt_finish,
    attempt_result,
    quiz_detail,
    quiz_preview,
    quiz_start,
)

__all__ = [
    "answer_create",
    "article_detail",
    "article_preview",
    "article_preview_frame",
    "article_read",
    "article_start",
    "attempt_detail",
    "attempt_finish",
    "attempt_result",
    "learn_index",
    "my_progress",
    "path_detail",
    "quiz_detail",
    "quiz_preview",
    "quiz_start",
]
