"""Article pages, starting and marking an article as read, and the authors' live preview.

Opening an article records nothing: a GET can come from a link on any site. The reader's first
real interaction with the page (a key, a click, a scroll gesture) posts to ``article_start``
with the page's CSRF token (static/js/article-progress.js); "Mark as read" posts too.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from courses.models import Article
from courses.rendering import render_article
from courses.selectors import article_progress, next_in_path, related_labs, related_quizzes
from courses.services import article_mark_read, article_started

MAX_PREVIEW_CHARS = 300_000


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    progress = article_progress(user=request.user, article=article)
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
def article_start(request: HttpRequest, slug: str) -> HttpResponse:
    """The reader started the article (sent by the page's script on a first interaction)."""
    article = get_object_or_404(Article.objects.visible_to(request.user), slug=slug)
    article_started(user=request.user, article=article)
    return HttpResponse(status=204)


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
@require_POST
def article_preview(request: HttpRequest) -> JsonResponse:
    """Render Markdown exactly as the site will, for the admin's live preview (authors only),
    and say what the sanitiser removed, so nothing the author wrote vanishes without a word."""
    if not request.user.is_author:
        raise PermissionDenied
    body = request.POST.get("body", "")
    if len(body) > MAX_PREVIEW_CHARS:
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    rendered = render_article(body)
    return JsonResponse(
        {"html": rendered.html, "toc": rendered.toc_html, "removed": list(rendered.removed)}
    )


@login_required
@require_GET
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def article_preview_frame(request: HttpRequest) -> HttpResponse:
    """The page the admin's preview fills: an empty article carrying the learner site's own
    stylesheets, so the preview is styled as learners will see it. Only the site may frame it."""
    if not request.user.is_author:
        raise PermissionDenied
    return render(request, "courses/article_preview_frame.html")
