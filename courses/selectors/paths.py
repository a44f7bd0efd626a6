"""Paths with each step's progress, what to do next, and the step after an article.

Every selector runs a fixed number of queries whatever the number of paths, steps or learners
(steps prefetched with their targets; the learner's article, lab and quiz records fetched once).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from courses.models import (
    Article,
    ArticleProgress,
    LearningPath,
    PathStep,
    QuizAttempt,
    Status,
    StepKind,
)
from labs import selectors as lab_selectors


@dataclass(frozen=True)
class StepState:
    step: PathStep
    started: bool
    completed: bool
    url: str | None  # None when the step's page does not exist yet (an unpublished lab or quiz)
    touched_at: datetime | None
    #: Not open to learners yet; only authors are shown such steps (``PathStep.visible_to``).
    draft: bool = False


@dataclass(frozen=True)
class PathProgress:
    path: LearningPath
    steps: list[StepState]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done(self) -> int:
        return sum(state.completed for state in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next_step(self) -> StepState | None:
        return next((s for s in self.steps if not s.completed and s.url), None)

    @property
    def last_touched(self) -> datetime | None:
        times = [s.touched_at for s in self.steps if s.touched_at]
        return max(times) if times else None


def _paths(user: Any) -> QuerySet[LearningPath]:
    steps = (
        PathStep.objects.visible_to(user)
        .select_related("article", "lab", "quiz")
        .order_by("position", "id")
    )
    return LearningPath.objects.visible_to(user).prefetch_related(Prefetch("steps", queryset=steps))


@dataclass(frozen=True)
class QuizRecord:
    started: bool
    passed: bool
    touched_at: datetime | None


def _records(
    user: Any, paths: list[LearningPath]
) -> tuple[dict[int, Any], dict[int, Any], dict[int, QuizRecord]]:
    if not getattr(user, "is_authenticated", False):
        return {}, {}, {}
    article_ids = {s.article_id for p in paths for s in p.steps.all() if s.article_id}
    lab_ids = {s.lab_id for p in paths for s in p.steps.all() if s.lab_id}
    articles = {
        r.article_id: r
        for r in ArticleProgress.objects.filter(user=user, article_id__in=article_ids)
    }
    labs = lab_selectors.lab_sessions_for(user=user, lab_ids=lab_ids)
    quiz_ids = {s.quiz_id for p in paths for s in p.steps.all() if s.quiz_id}
    quizzes: dict[int, QuizRecord] = {}
    rows = (
        QuizAttempt.objects.filter(user=user, quiz_id__in=quiz_ids)
        .values("quiz_id")
        .annotate(last=Max("started_at"), passes=Count("pk", filter=Q(passed=True)))
    )
    for row in rows:
        quizzes[row["quiz_id"]] = QuizRecord(True, row["passes"] > 0, row["last"])
    return articles, labs, quizzes


def _state(
    step: PathStep, articles: dict[int, Any], labs: dict[int, Any], quizzes: dict[int, QuizRecord]
) -> StepState:
    state = _progress(step, articles, labs, quizzes)
    return state if step.is_published else replace(state, draft=True)


def _progress(
    step: PathStep, articles: dict[int, Any], labs: dict[int, Any], quizzes: dict[int, QuizRecord]
) -> StepState:
    if step.kind == StepKind.ARTICLE:
        record = articles.get(step.article_id)
        return StepState(
            step,
            started=record is not None,
            completed=bool(record and record.completed_at),
            url=step.article.get_absolute_url(),
            touched_at=record.updated_at if record else None,
        )
    if step.kind == StepKind.LAB:
        session = labs.get(step.lab_id)
        published = step.lab.published_version_id is not None
        return StepState(
            step,
            started=session is not None,
            completed=bool(session and session.solved_at),
            url=step.lab.get_absolute_url() if published else None,
            touched_at=session.updated_at if session else None,
        )
    record = quizzes.get(step.quiz_id)
    return StepState(
        step,
        started=bool(record),
        completed=bool(record and record.passed),
        url=step.quiz.get_absolute_url() if step.quiz.status == Status.PUBLISHED else None,
        touched_at=record.touched_at if record else None,
    )


def paths_progress(*, user: Any) -> list[PathProgress]:
    """Every path the viewer may see, each step with the viewer's progress."""
    paths = list(_paths(user))
    records = _records(user, paths)
    return [
        PathProgress(path, [_state(step, *records) for step in path.steps.all()]) for path in paths
    ]


def path_progress(*, user: Any, path: LearningPath) -> PathProgress:
    """One path with the viewer's progress on each step."""
    path = _paths(user).get(pk=path.pk)
    records = _records(user, [path])
    return PathProgress(path, [_state(step, *records) for step in path.steps.all()])


def continue_learning(*, user: Any) -> tuple[PathProgress, StepState] | None:
    """The path the learner touched last that still has a step to do, and that step."""
    candidates = [
        p for p in paths_progress(user=user) if p.last_touched is not None and p.next_step
    ]
    if not candidates:
        return None
    latest = max(candidates, key=lambda p: p.last_touched)
    return latest, latest.next_step


def next_in_path(
    *, article: Article, path_slug: str, user: Any
) -> tuple[LearningPath, PathStep] | None:
    """The step after this article in the given path (or the first path that has it), among the
    steps the viewer may see: a draft or scheduled step is skipped, never named or linked."""
    steps = (
        PathStep.objects.visible_to(user)
        .filter(path__in=LearningPath.objects.visible_to(user))
        .select_related("path", "article", "lab", "quiz")
    )
    mine = [s for s in steps.filter(article=article) if not path_slug or s.path.slug == path_slug]
    if not mine:
        return None
    current = mine[0]
    following = (
        steps.filter(path=current.path, position__gt=current.position).order_by("position").first()
    )
    return (current.path, following) if following else None
