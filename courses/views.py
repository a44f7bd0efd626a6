"""Learning pages: paths, articles, quizzes, progress, and the authors' previews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from courses.forms import AnswerForm
from courses.models import Article, LearningPath, Question, Quiz, QuizAttempt, Topic
from courses.rendering import render_article
from courses.selectors import (
    article_list,
    attempt_questions,
    best_attempt,
    continue_learning,
    highlighted_lines,
    next_in_path,
    path_progress,
    paths_progress,
    quiz_list,
    quiz_statistics,
    related_labs,
    related_quizzes,
    topics,
)
from courses.services import (
    QuizError,
    answer_submit,
    article_mark_read,
    article_started,
    attempts_left,
    quiz_attempt_finish,
    quiz_attempt_start,
)
from labs.models import LabSession

MAX_PREVIEW_CHARS = 300_000


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    framework = request.GET.get("framework", "")
    topic = request.GET.get("topic", "")
    all_topics = topics(user=request.user)
    if framework not in Topic.values:
        framework = ""
    if topic not in all_topics:
        topic = ""
    context = {
        "paths": paths_progress(user=request.user),
        "articles": article_list(user=request.user, framework=framework, topic=topic),
        "frameworks": Topic.choices,
        "topics": [(t, t) for t in all_topics],
        "framework": framework,
        "topic": topic,
        "continue": continue_learning(user=request.user) if request.user.is_authenticated else None,
        "quizzes": quiz_list(user=request.user),
    }
    return render(request, "courses/learn_index.html", context)


@require_GET
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = get_object_or_404(LearningPath.objects.visible_to(request.user), slug=slug)
    progress = path_progress(user=request.user, path=path)
    return render(request, "courses/path_detail.html", {"progress": progress, "path": path})


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    progress = None
    if request.user.is_authenticated:
        progress = article_started(user=request.user, article=article)
    path_slug = request.GET.get("path", "")
    context = {
        "article": article,
        "progress": progress,
        "next": next_in_path(article=article, path_slug=path_slug, user=request.user),
        "related_labs": related_labs(article=article),
        "related_quizzes": related_quizzes(article=article, user=request.user),
        "path_slug": path_slug,
    }
    return render(request, "courses/article_detail.html", context)


@login_required
@require_POST
def article_read(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    article_mark_read(user=request.user, article=article)
    messages.success(request, f"Marked “{article.title}” as read.")
    follow = next_in_path(
        article=article, path_slug=request.POST.get("path", ""), user=request.user
    )
    if follow is not None:
        return redirect(follow[0].get_absolute_url())
    return redirect(article.get_absolute_url())


@login_required
@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    from courses.models import ArticleProgress

    context = {
        "paths": paths_progress(user=request.user),
        "read": ArticleProgress.objects.filter(user=request.user, completed_at__isnull=False)
        .select_related("article")
        .order_by("-completed_at"),
        "labs": LabSession.objects.filter(user=request.user)
        .select_related("lab")
        .order_by("-updated_at"),
        "quizzes": [card for card in quiz_list(user=request.user) if card.best_score is not None],
    }
    return render(request, "courses/my_progress.html", context)


@login_required
@require_POST
def article_preview(request: HttpRequest) -> JsonResponse:
    """Render Markdown exactly as the site will, for the admin's live preview (authors only)."""
    if not request.user.is_author:
        raise PermissionDenied
    body = request.POST.get("body", "")
    if len(body) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    rendered = render_article(body)
    return JsonResponse({"html": rendered.html, "toc": rendered.toc_html})


# --- Quizzes ----------------------------------------------------------------------------------


def _quiz(request: HttpRequest, slug: str) -> Quiz:
    return get_object_or_404(Quiz.objects.visible_to(request.user), slug=slug)


def _own_attempt(request: HttpRequest, slug: str, pk: int) -> QuizAttempt:
    attempt = get_object_or_404(QuizAttempt.objects.select_related("quiz"), pk=pk, quiz__slug=slug)
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
        view = next(
            (q for q in attempt_questions(attempt=attempt) if q.question.pk == question.pk), None
        )
        if view is None:
            raise Http404("No such question in this attempt.")
        return render(
            request, "courses/_question.html", {"q": view, "attempt": attempt, "error": error}
        )
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
