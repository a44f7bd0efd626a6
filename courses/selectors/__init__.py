"""What learning pages read, one module per concept; everything is re-exported here.

Other apps (the home page, team dashboards) read courses only through this package.
"""

from __future__ import annotations

from courses.selectors.articles import article_list, related_labs, related_quizzes, topics
from courses.selectors.cohorts import (
    PathSummary,
    QuizSummary,
    learner_quiz_attempts,
    learning_activity_by_day,
    mean_best_quiz_scores,
    path_summaries,
    quiz_summaries,
)
from courses.selectors.paths import (
    PathProgress,
    QuizRecord,
    StepState,
    continue_learning,
    next_in_path,
    path_progress,
    paths_progress,
)
from courses.selectors.progress import article_progress, articles_read, labs_started
from courses.selectors.quizzes import (
    CodeLine,
    QuestionStats,
    QuestionView,
    QuizCard,
    attempt_questions,
    best_attempt,
    highlighted_lines,
    quiz_list,
    quiz_statistics,
)

__all__ = [
    "CodeLine",
    "PathProgress",
    "PathSummary",
    "QuestionStats",
    "QuestionView",
    "QuizCard",
    "QuizRecord",
    "QuizSummary",
    "StepState",
    "article_list",
    "article_progress",
    "articles_read",
    "attempt_questions",
    "best_attempt",
    "continue_learning",
    "highlighted_lines",
    "labs_started",
    "learner_quiz_attempts",
    "learning_activity_by_day",
    "mean_best_quiz_scores",
    "next_in_path",
    "path_progress",
    "path_summaries",
    "paths_progress",
    "quiz_list",
    "quiz_statistics",
    "quiz_summaries",
    "related_labs",
    "related_quizzes",
    "topics",
]
