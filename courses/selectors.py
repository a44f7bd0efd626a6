"""What learning pages read: paths with each step's progress, what to do next, related content.

Every selector runs a fixed number of queries whatever the number of paths, steps or learners
(steps prefetched with their targets; the learner's article and lab records fetched once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from courses.models import Article, ArticleProgress, LearningPath, PathStep, QuizAttempt, StepKind
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
    steps = PathStep.objects.select_related("article", "lab", "quiz").order_by("position", "id")
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
    labs = {r.lab_id: r for r in LabSession.objects.filter(user=user, lab_id__in=lab_ids)}
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
        url=step.quiz.get_absolute_url() if step.quiz.status == "published" else None,
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


# --- Quizzes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeLine:
    number: int
    html: str  # Pygments output: escaped, classes only


@dataclass(frozen=True)
class QuestionView:
    question: Any
    number: int
    choices: list[Any]
    answer: Any | None
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


def highlighted_lines(code: str, language: str) -> list[CodeLine]:
    """The snippet highlighted by Pygments, one entry per line (classes only, no inline style)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language or "text", stripnl=False)
    except ClassNotFound:
        lexer = TextLexer(stripnl=False)
    source = code.strip("\n")
    html = highlight(source, lexer, HtmlFormatter(nowrap=True))
    return [CodeLine(i, line) for i, line in enumerate(html.rstrip("\n").split("\n"), start=1)]


def attempt_questions(*, attempt: Any) -> list[QuestionView]:
    """The attempt's questions in its own order, choices in its own order, with answers."""
    from courses.models import Answer, FeedbackMode, Question

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


def best_attempt(*, user: Any, quiz: Any) -> Any | None:
    from courses.models import QuizAttempt

    return (
        QuizAttempt.objects.filter(user=user, quiz=quiz, finished_at__isnull=False)
        .order_by("-score", "finished_at")
        .first()
    )


@dataclass(frozen=True)
class QuestionStats:
    question: Any
    answered: int
    correct_share: float | None
    common_wrong: str
    common_wrong_count: int


def quiz_statistics(*, quiz: Any) -> list[QuestionStats]:
    """Per question: how many answered, the share fully correct, the most chosen wrong answer."""
    from collections import Counter

    from courses.models import Answer, QuestionKind

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
    quiz: Any
    questions: int
    best_score: float | None
    passed: bool


def quiz_list(*, user: Any) -> list[QuizCard]:
    """Quizzes the viewer may see, with the viewer's best score, in two queries."""
    from courses.models import Quiz, QuizAttempt

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


def related_quizzes(*, article: Article, user: Any) -> list[Any]:
    """Quizzes with a question that points back at this article."""
    from courses.models import Quiz

    return list(
        Quiz.objects.visible_to(user)
        .filter(questions__article__startswith=f"{article.slug}#")
        .distinct()
        .order_by("title")
    )
