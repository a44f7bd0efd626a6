"""Learning pages: paths and articles to read, progress, and the authors' Markdown preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.models import Article, LearningPath, Topic
from courses.rendering import render_article
from courses.selectors import (
    article_list,
    continue_learning,
    next_in_path,
    path_progress,
    paths_progress,
    related_labs,
    topics,
)
from courses.services import article_mark_read, article_started
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
        "topics": all_topics,
        "framework": framework,
        "topic": topic,
        "continue": continue_learning(user=request.user) if request.user.is_authenticated else None,
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
