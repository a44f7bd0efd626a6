"""Articles, learning paths, quizzes and each learner's progress through them, one module each.

An article's Markdown is rendered once, on save, into stored HTML (and a table of contents), so
pages never render Markdown per request. A learning path is an ordered list of steps, each an
article, a lab or a quiz; progress on a step is derived from the learner's own records (article
read, lab solved, quiz passed), so there is one source of truth per kind of step.

Every model is imported here, which is how Django finds them (and infers their app label).
"""

from __future__ import annotations

from courses.models.articles import (
    FRAMEWORK_TAGS,
    GENERAL_TAG,
    WORDS_PER_MINUTE,
    Article,
    ArticleQuerySet,
)
from courses.models.base import PublishableQuerySet, Status, fingerprint
from courses.models.paths import LearningPath, LearningPathQuerySet, PathStep, StepKind
from courses.models.progress import ArticleProgress
from courses.models.quizzes import (
    Answer,
    Choice,
    FeedbackMode,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizQuerySet,
    Scoring,
    inline_markdown,
)

__all__ = [
    "FRAMEWORK_TAGS",
    "GENERAL_TAG",
    "WORDS_PER_MINUTE",
    "Answer",
    "Article",
    "ArticleProgress",
    "ArticleQuerySet",
    "Choice",
    "FeedbackMode",
    "LearningPath",
    "LearningPathQuerySet",
    "PathStep",
    "PublishableQuerySet",
    "Question",
    "QuestionKind",
    "Quiz",
    "QuizAttempt",
    "QuizQuerySet",
    "Scoring",
    "Status",
    "StepKind",
    "fingerprint",
    "inline_markdown",
]
