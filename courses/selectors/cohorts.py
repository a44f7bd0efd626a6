"""What team dashboards read about many learners' quizzes, paths and reading at once.

Every reader takes sets of user ids and target ids and runs a fixed number of queries whatever
their size (aggregates and ``values()`` rows), so a dashboard costs the same for 5 or 500 people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate

from courses.models import ArticleProgress, PathStep, QuizAttempt, StepKind
from labs import selectors as lab_selectors


@dataclass(frozen=True)
class QuizSummary:
    """One learner's attempts at one quiz."""

    attempts: int  # finished attempts
    best_score: float | None  # best percent of a finished attempt
    passed_at: datetime | None  # when the first passing attempt finished
    first_at: datetime
    last_at: datetime


def quiz_summaries(
    *, user_ids: Iterable[int], quiz_ids: Iterable[int]
) -> dict[tuple[int, int], QuizSummary]:
    """Attempts, best score and first pass by (user id, quiz id) (one query)."""
    finished = Q(finished_at__isnull=False)
    rows = (
        QuizAttempt.objects.filter(user_id__in=set(user_ids), quiz_id__in=set(quiz_ids))
        .values("user_id", "quiz_id")
        .annotate(
            attempts=Count("pk", filter=finished),
            best=Max("score", filter=finished),
            passed_at=Min("finished_at", filter=Q(passed=True)),
            first=Min("started_at"),
            last_start=Max("started_at"),
            last_finish=Max("finished_at"),
        )
        .order_by()
    )
    return {
        (r["user_id"], r["quiz_id"]): QuizSummary(
            attempts=r["attempts"],
            best_score=r["best"],
            passed_at=r["passed_at"],
            first_at=r["first"],
            last_at=max(t for t in (r["last_start"], r["last_finish"]) if t is not None),
        )
        for r in rows
    }


@dataclass(frozen=True)
class PathSummary:
    """One learner's progress on one path: steps done, and when."""

    total: int
    done: int
    completed_at: datetime | None  # when the last step was done, once all are
    first_at: datetime | None
    last_at: datetime | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def started(self) -> bool:
        return self.first_at is not None


def path_summaries(
    *, user_ids: Iterable[int], path_ids: Iterable[int]
) -> dict[tuple[int, int], PathSummary]:
    """Every (user id, path id) pair's progress, including learners who have not started.

    Four queries: the paths' steps, then the learners' article, lab and quiz records.
    """
    users = set(user_ids)
    steps = list(
        PathStep.objects.published()  # the steps learners can see, as on the path's page
        .filter(path_id__in=set(path_ids))
        .values("path_id", "kind", "article_id", "lab_id", "quiz_id")
        .order_by("path_id", "position", "id")
    )
    article_ids = {s["article_id"] for s in steps if s["article_id"]}
    lab_ids = {s["lab_id"] for s in steps if s["lab_id"]}
    quiz_ids = {s["quiz_id"] for s in steps if s["quiz_id"]}
    articles = {
        (r["user_id"], r["article_id"]): r
        for r in ArticleProgress.objects.filter(
            user_id__in=users, article_id__in=article_ids
        ).values("user_id", "article_id", "started_at", "completed_at", "updated_at")
    }
    labs = lab_selectors.lab_records(user_ids=users, lab_ids=lab_ids) if lab_ids else {}
    quizzes = quiz_summaries(user_ids=users, quiz_ids=quiz_ids) if quiz_ids else {}

    by_path: dict[int, list[dict[str, Any]]] = {pid: [] for pid in set(path_ids)}
    for step in steps:
        by_path.setdefault(step["path_id"], []).append(step)
    out: dict[tuple[int, int], PathSummary] = {}
    for user_id in users:
        for path_id, path_steps in by_path.items():
            done_at: list[datetime] = []
            touched: list[datetime] = []
            for step in path_steps:
                finished, times = _step_record(step, user_id, articles, labs, quizzes)
                if finished is not None:
                    done_at.append(finished)
                touched.extend(times)
            complete = bool(path_steps) and len(done_at) == len(path_steps)
            out[(user_id, path_id)] = PathSummary(
                total=len(path_steps),
                done=len(done_at),
                completed_at=max(done_at) if complete else None,
                first_at=min(touched) if touched else None,
                last_at=max(touched) if touched else None,
            )
    return out


def _step_record(
    step: dict[str, Any],
    user_id: int,
    articles: dict[tuple[int, int], dict[str, Any]],
    labs: dict[tuple[int, int], Any],
    quizzes: dict[tuple[int, int], QuizSummary],
) -> tuple[datetime | None, list[datetime]]:
    """When the learner finished this step (or None), and the times they touched it."""
    if step["kind"] == StepKind.ARTICLE:
        row = articles.get((user_id, step["article_id"]))
        if row is None:
            return None, []
        return row["completed_at"], [row["started_at"], row["updated_at"]]
    if step["kind"] == StepKind.LAB:
        lab = labs.get((user_id, step["lab_id"]))
        if lab is None:
            return None, []
        return lab.solved_at, [lab.started_at, lab.updated_at]
    quiz = quizzes.get((user_id, step["quiz_id"]))
    if quiz is None:
        return None, []
    return quiz.passed_at, [quiz.first_at, quiz.last_at]


def _per_day(queryset: QuerySet[Any], field: str) -> dict[date, int]:
    rows = queryset.annotate(day=TruncDate(field)).values("day").annotate(n=Count("pk")).order_by()
    return {r["day"]: r["n"] for r in rows}


def learning_activity_by_day(
    *, user_ids: Iterable[int], since: datetime
) -> dict[str, dict[date, int]]:
    """Quiz attempts finished and articles read per day since ``since`` (two queries)."""
    ids = set(user_ids)
    return {
        "quiz_attempts": _per_day(
            QuizAttempt.objects.filter(user_id__in=ids, finished_at__gte=since), "finished_at"
        ),
        "articles_read": _per_day(
            ArticleProgress.objects.filter(user_id__in=ids, completed_at__gte=since),
            "completed_at",
        ),
    }


def mean_best_quiz_scores(*, user_ids: Iterable[int]) -> dict[int, float]:
    """Each learner's mean, over the quizzes they finished, of their best score (one query)."""
    rows = (
        QuizAttempt.objects.filter(user_id__in=set(user_ids), finished_at__isnull=False)
        .values("user_id", "quiz_id")
        .annotate(best=Max("score"))
        .order_by()
    )
    sums: dict[int, list[float]] = {}
    for r in rows:
        if r["best"] is not None:
            sums.setdefault(r["user_id"], []).append(r["best"])
    return {uid: sum(scores) / len(scores) for uid, scores in sums.items()}


def learner_quiz_attempts(*, user_id: int, limit: int = 100) -> QuerySet[QuizAttempt]:
    """A learner's finished quiz attempts with their quiz, newest first."""
    return (
        QuizAttempt.objects.filter(user_id=user_id, finished_at__isnull=False)
        .select_related("quiz")
        .order_by("-finished_at", "-id")[:limit]
    )
