"""Quiz pages: the intro, taking an attempt (htmx per answer), results, and the authors' preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from courses.forms import AnswerForm
from courses.models import Question, Quiz, QuizAttempt
from courses.selectors import (
    attempt_questions,
    best_attempt,
    highlighted_lines,
    quiz_statistics,
)
from courses.services import (
    QuizError,
    answer_submit,
    attempts_left,
    quiz_attempt_finish,
    quiz_attempt_start,
)


def _quiz(request: HttpRequest, slug: str) -> Quiz:
    return get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)


def _own_attempt(request: HttpRequest, slug: str, pk: int) -> QuizAttempt:
    """The viewer's own attempt at a quiz they may see, or 404.

    Unpublishing a quiz closes every attempt at it, open or finished: answering, finishing and
    the result page (questions, answers, explanations) all 404 for learners, as the quiz page
    does. The rows stay, so a quiz published again brings its attempts back; meanwhile /progress/
    lists only published quizzes, so it shows no score for it either. Authors may still take and
    review attempts at drafts, to check them.
    """
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("quiz"),
        pk=pk,
        quiz__slug=slug,
        quiz__in=Quiz.objects.visible_to(request.user),
    )
    if attempt.user_id != request.user.pk:
        raise Http404("No such attempt.")  # other people's attempts do not exist for you
    return attempt


@require_GET
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _quiz(request, slug)
    context: dict[str, object] = {"quiz": quiz, "question_count": quiz.questions.count()}
    if request.user.is_authenticated:
        context.update(
            attempts=QuizAttempt.objects.filter(user=request.user, quiz=quiz),
            best=best_attempt(user=request.user, quiz=quiz),
            attempts_left=attempts_left(user=request.user, quiz=quiz),
            open_attempt=QuizAttempt.objects.filter(
                user=request.user, quiz=quiz, finished_at__isnull=True
            ).first(),
        )
    return render(request, "courses/quiz_detail.html", context)


@login_required
@require_POST
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _quiz(request, slug)
    try:
        attempt = quiz_attempt_start(user=request.user, quiz=quiz)
    except QuizError as exc:
        messages.error(request, str(exc))
        return redirect(quiz.get_absolute_url())
    return redirect(attempt.get_absolute_url())


@login_required
@require_GET
def attempt_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, slug, pk)
    if not attempt.is_finished and attempt.is_expired():
        quiz_attempt_finish(attempt=attempt)
        messages.info(request, "Time is up: your answers have been scored.")
        attempt.refresh_from_db()
    if attempt.is_finished:
        return redirect("courses:attempt-result", slug=slug, pk=pk)
    questions = attempt_questions(attempt=attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": questions,
        "answered": sum(1 for q in questions if q.answer),
    }
    return render(request, "courses/attempt_detail.html", context)


@login_required
@require_POST
def answer_create(request: HttpRequest, slug: str, pk: int, question_id: int) -> HttpResponse:
    """Answer one question; htmx gets the question back with its feedback, others a redirect."""
    attempt = _own_attempt(request, slug, pk)
    question = get_object_or_404(Question.objects.prefetch_related("choices"), pk=question_id)
    form = AnswerForm(request.POST, choice_ids=[c.pk for c in question.choices.all()])
    error = ""
    if not form.is_valid():
        error = "That answer could not be read; choose one of the options."
    else:
        try:
            answer_submit(
                attempt=attempt,
                question=question,
                choices=form.cleaned_data["choice"],
                value=form.cleaned_data["value"],
                line=form.cleaned_data["line"],
            )
        except QuizError as exc:
            error = str(exc)
    attempt.refresh_from_db()
    if request.htmx:
        if attempt.is_finished:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("courses:attempt-result", args=[slug, pk])
            return response
        questions = attempt_questions(attempt=attempt)
        view = next((q for q in questions if q.question.pk == question.pk), None)
        if view is None:
            raise Http404("No such question in this attempt.")
        # The question with its feedback, and the "n of m answered" line swapped out of band.
        context = {
            "q": view,
            "attempt": attempt,
            "error": error,
            "questions": questions,
            "answered": sum(1 for q in questions if q.answer),
            "status_oob": True,
        }
        return render(request, "courses/_question.html", context)
    if error:
        messages.error(request, error)
    return redirect(attempt.get_absolute_url() + f"#q-{question.pk}")


@login_required
@require_POST
def attempt_finish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, slug, pk)
    quiz_attempt_finish(attempt=attempt)
    return redirect("courses:attempt-result", slug=slug, pk=pk)


@login_required
@require_GET
def attempt_result(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, slug, pk)
    if not attempt.is_finished:
        if not attempt.is_expired():
            return redirect(attempt.get_absolute_url())
        attempt = quiz_attempt_finish(attempt=attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": attempt_questions(attempt=attempt),
        "best": best_attempt(user=request.user, quiz=attempt.quiz),
        "attempts_left": attempts_left(user=request.user, quiz=attempt.quiz),
    }
    return render(request, "courses/attempt_result.html", context)


@login_required
@require_GET
def quiz_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Authors see the quiz as learners would, with answers and statistics; nothing is recorded."""
    if not request.user.is_author:
        raise PermissionDenied
    quiz = get_object_or_404(Quiz, slug=slug)
    questions = [
        {
            "question": q,
            "code_lines": highlighted_lines(q.code, q.language) if q.code else [],
        }
        for q in quiz.questions.prefetch_related("choices")
    ]
    context = {"quiz": quiz, "questions": questions, "stats": quiz_statistics(quiz=quiz)}
    return render(request, "courses/quiz_preview.html", context)
