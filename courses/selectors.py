"""What learning pages read: paths with each step's progress, what to do next, related content.

Every selector runs a fixed number of queries whatever the number of paths, steps or learners
(steps prefetched with their targets; the learner's article and lab records fetched once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from courses.models import Article, ArticleProgress, LearningPath, PathStep, StepKind
from labs.models import Lab, LabSession


@dataclass(frozen=True)
class StepState:
    step: PathStep
    started: bool
    completed: bool
    url: str | None  # None when the step's page does not exist yet (quizzes before the quiz app)
    touched_at: datetime | None


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
    steps = PathStep.objects.select_related("article", "lab").order_by("position", "id")
    return LearningPath.objects.visible_to(user).prefetch_related(Prefetch("steps", queryset=steps))


def _records(user: Any, paths: list[LearningPath]) -> tuple[dict[int, Any], dict[int, Any]]:
    if not getattr(user, "is_authenticated", False):
        return {}, {}
    article_ids = {s.article_id for p in paths for s in p.steps.all() if s.article_id}
    lab_ids = {s.lab_id for p in paths for s in p.steps.all() if s.lab_id}
    articles = {
        r.article_id: r
        for r in ArticleProgress.objects.filter(user=user, article_id__in=article_ids)
    }
    labs = {r.lab_id: r for r in LabSession.objects.filter(user=user, lab_id__in=lab_ids)}
    return articles, labs


def _state(step: PathStep, articles: dict[int, Any], labs: dict[int, Any]) -> StepState:
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
    return StepState(step, started=False, completed=False, url=None, touched_at=None)


def paths_progress(*, user: Any) -> list[PathProgress]:
    """Every path the viewer may see, each step with the viewer's progress."""
    paths = list(_paths(user))
    articles, labs = _records(user, paths)
    return [
        PathProgress(path, [_state(step, articles, labs) for step in path.steps.all()])
        for path in paths
    ]


def path_progress(*, user: Any, path: LearningPath) -> PathProgress:
    path = _paths(user).get(pk=path.pk)
    articles, labs = _records(user, [path])
    return PathProgress(path, [_state(step, articles, labs) for step in path.steps.all()])


def continue_learning(*, user: Any) -> tuple[PathProgress, StepState] | None:
    """The path the learner touched last that still has a step to do, and that step."""
    candidates = [
        p for p in paths_progress(user=user) if p.last_touched is not None and p.next_step
    ]
    if not candidates:
        return None
    latest = max(candidates, key=lambda p: p.last_touched)
    return latest, latest.next_step


def article_list(*, user: Any, framework: str = "", topic: str = "") -> list[Article]:
    """Articles the viewer may see, filtered by framework and by CWE/OWASP topic.

    JSON lists are filtered here rather than in SQL: SQLite has no JSON ``contains`` lookup,
    and the article count is small.
    """
    articles = Article.objects.visible_to(user).defer("body", "body_html", "toc_html")
    return [
        a
        for a in articles.order_by("title")
        if (not framework or framework in a.frameworks)
        and (not topic or topic in a.cwe or topic in a.owasp)
    ]


def topics(*, user: Any) -> list[str]:
    """Every CWE and OWASP id used by visible articles, for the topic filter."""
    seen: set[str] = set()
    for cwe, owasp in Article.objects.visible_to(user).values_list("cwe", "owasp"):
        seen.update(cwe)
        seen.update(owasp)
    return sorted(seen, key=lambda t: (not t.startswith("CWE"), len(t), t))


def next_in_path(
    *, article: Article, path_slug: str, user: Any
) -> tuple[LearningPath, PathStep] | None:
    """The step after this article in the given path (or the first path that has it)."""
    steps = PathStep.objects.filter(path__in=LearningPath.objects.visible_to(user)).select_related(
        "path", "article", "lab"
    )
    mine = [s for s in steps.filter(article=article) if not path_slug or s.path.slug == path_slug]
    if not mine:
        return None
    current = mine[0]
    following = (
        steps.filter(path=current.path, position__gt=current.position).order_by("position").first()
    )
    return (current.path, following) if following else None


def related_labs(*, article: Article) -> list[Lab]:
    """Published labs that teach one of the article's weaknesses, or named in its paths."""
    wanted = set(article.cwe)
    labs = list(Lab.objects.published())
    by_cwe = [lab for lab in labs if wanted & set(lab.cwe)]
    linked_ids = set(
        PathStep.objects.filter(path__steps__article=article, lab__isnull=False).values_list(
            "lab_id", flat=True
        )
    )
    ordered = by_cwe + [lab for lab in labs if lab.pk in linked_ids and lab not in by_cwe]
    return ordered[:4]
