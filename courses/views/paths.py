"""The Learn page (paths, articles and quizzes, filtered) and a path's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from courses.models import FRAMEWORK_TAGS, LearningPath
from courses.selectors import (
    article_list,
    continue_learning,
    path_progress,
    paths_progress,
    quiz_list,
    topics,
)


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    framework = request.GET.get("framework", "")
    topic = request.GET.get("topic", "")
    all_topics = topics(user=request.user)
    if framework not in dict(FRAMEWORK_TAGS):
        framework = ""
    if topic not in all_topics:
        topic = ""
    context = {
        "paths": paths_progress(user=request.user),
        "articles": article_list(user=request.user, framework=framework, topic=topic),
        "frameworks": FRAMEWORK_TAGS,
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
