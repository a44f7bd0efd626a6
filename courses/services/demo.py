"""The courses part of the demo (``manage.py seed_demo_courses``): the demo team's quiz attempts
and reading, made through the real quiz and progress services, then moved back in time.

Who does what comes from the plan in :mod:`portal.demo`: a keen member reads most of the
assigned path's articles and passes the quiz, perhaps at the second try; someone who has barely
started has read one article and taken nothing. Answers are chosen right or wrong per question
from the person's diligence, so the scores vary as real ones do, and the quiz service scores them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from django.db.models import Prefetch
from django.utils import timezone

from courses.models import (
    Answer,
    Article,
    ArticleProgress,
    Choice,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
)
from courses.services.progress import article_mark_read, article_started
from courses.services.quizzes import (
    QuizError,
    answer_submit,
    quiz_attempt_finish,
    quiz_attempt_start,
)
from portal.demo import DEMO_ARTICLES, DEMO_MEMBERS, DEMO_QUIZZES, DemoMember
from portal.models import User


@dataclass
class CourseSeedReport:
    attempts: int = 0
    reads: int = 0
    skipped: int = 0  # (member, quiz) pairs left alone because attempts already exist


def demo_course_history_seed(*, now: datetime | None = None) -> CourseSeedReport:
    """Quiz attempts and article reads for every demo member who has an account.

    Idempotent: a member who already has an attempt at a quiz gets no more at it, and one who has
    opened any of the demo's articles gets no more reading.
    """
    now = now or timezone.now()
    report = CourseSeedReport()
    users = {u.email: u for u in User.objects.filter(email__in=[m.email for m in DEMO_MEMBERS])}
    quizzes = {
        q.slug: q
        for q in Quiz.objects.published()
        .filter(slug__in=DEMO_QUIZZES)
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("choices"))
        )
    }
    articles = {a.slug: a for a in Article.objects.published().filter(slug__in=DEMO_ARTICLES)}
    has_read = set(
        ArticleProgress.objects.filter(
            user__in=users.values(), article__in=articles.values()
        ).values_list("user_id", flat=True)
    )
    for member in DEMO_MEMBERS:
        user = users.get(member.email)
        if user is None:
            continue
        if user.pk not in has_read:  # their reading was seeded before, or is their own
            report.reads += _reading_seed(member=member, user=user, articles=articles, now=now)
        for rank, slug in enumerate(DEMO_QUIZZES):
            quiz = quizzes.get(slug)
            if quiz is None:
                continue
            if QuizAttempt.objects.filter(user=user, quiz=quiz).exists():
                report.skipped += 1
                continue
            report.attempts += _quiz_seed(member=member, user=user, quiz=quiz, rank=rank, now=now)
    return report


def _reading_seed(
    *, member: DemoMember, user: User, articles: dict[str, Article], now: datetime
) -> int:
    rng = member.random("reading")
    count = round(len(DEMO_ARTICLES) * min(1.0, member.diligence * rng.uniform(0.7, 1.25)))
    reads = 0
    for index, slug in enumerate(DEMO_ARTICLES[: max(1, count)]):
        article = articles.get(slug)
        if article is None:
            continue
        opened = member.moment(topic=f"article:{slug}", fraction=0.05 + 0.1 * index, now=now)
        progress = article_started(user=user, article=article)
        finished = rng.random() < 0.85
        if finished:
            progress = article_mark_read(user=user, article=article)
            reads += 1
        done_at = opened + timedelta(minutes=rng.randint(6, 25))
        ArticleProgress.objects.filter(pk=progress.pk).update(
            started_at=opened,
            completed_at=done_at if finished else None,
            updated_at=done_at if finished else opened,
        )
    return reads


def _quiz_seed(*, member: DemoMember, user: User, quiz: Quiz, rank: int, now: datetime) -> int:
    """One attempt, and a second if the first failed and the person is keen; returns how many."""
    rng = member.random(f"quiz:{quiz.slug}")
    if rng.random() >= member.diligence + 0.25 - 0.35 * rank or quiz.slug in member.untouched:
        return 0  # has not got to it yet
    accuracy = 0.3 + 0.65 * member.diligence
    attempts = 0
    for sitting in range(2):
        when = member.moment(
            topic=f"quiz:{quiz.slug}:{sitting}",
            fraction=0.35 + 0.2 * rank + 0.25 * sitting,
            now=now,
        )
        try:
            attempt = _attempt_take(user=user, quiz=quiz, accuracy=accuracy, rng=rng, when=when)
        except QuizError:  # e.g. no attempts left on a quiz that allows only one
            break
        attempts += 1
        if attempt.passed or rng.random() >= member.diligence:
            break
        accuracy = min(1.0, accuracy + 0.2)  # they read the explanations before trying again
    return attempts


def _attempt_take(
    *, user: User, quiz: Quiz, accuracy: float, rng: Random, when: datetime
) -> QuizAttempt:
    """Take one attempt through the quiz services, then date it ``when``."""
    attempt = quiz_attempt_start(user=user, quiz=quiz)
    questions = {q.pk: q for q in quiz.questions.all()}
    answered_at = when
    for question_id in attempt.question_order:
        question = questions[question_id]
        right = rng.random() < accuracy
        try:
            result = answer_submit(
                attempt=attempt, question=question, **_answer(question, right, rng)
            )
        except QuizError:  # a question the demo cannot answer stays unanswered (scores 0)
            continue
        answered_at += timedelta(seconds=rng.randint(20, 90))
        Answer.objects.filter(pk=result.answer.pk).update(answered_at=answered_at)
    attempt = quiz_attempt_finish(attempt=attempt)
    limit = timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        started_at=when,
        deadline_at=when + limit if limit else None,
        finished_at=answered_at + timedelta(seconds=5),
    )
    attempt.refresh_from_db()
    return attempt


def _answer(question: Question, right: bool, rng: Random) -> dict[str, object]:
    """The arguments of :func:`answer_submit` for a right, or a plausible wrong, answer."""
    if question.kind == QuestionKind.TRUE_FALSE:
        return {"value": bool(question.answer) if right else not question.answer}
    if question.kind == QuestionKind.SPOT_LINE:
        lines = range(1, len(question.code_lines) + 1)
        wrong = [n for n in lines if n not in question.answer_lines]
        pick = question.answer_lines[0] if right or not wrong else rng.choice(wrong)
        return {"line": pick}
    choices: list[Choice] = list(question.choices.all())
    correct = [c.pk for c in choices if c.correct]
    wrong = [c.pk for c in choices if not c.correct]
    if right or not wrong:
        return {"choices": correct}
    if question.kind == QuestionKind.SINGLE:
        return {"choices": [rng.choice(wrong)]}
    # Multiple choice, wrong: one right option missed or one wrong option ticked (or both).
    picked = set(correct)
    if len(picked) > 1 and rng.random() < 0.5:
        picked.discard(rng.choice(correct))
    else:
        picked.add(rng.choice(wrong))
    return {"choices": sorted(picked)}
