"""The learner's own progress page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from courses.selectors import articles_read, labs_started, paths_progress, quiz_list


@login_required
@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    context = {
        "paths": paths_progress(user=request.user),
        "read": articles_read(user=request.user),
        "labs": labs_started(user=request.user),
        "quizzes": [card for card in quiz_list(user=request.user) if card.best_score is not None],
    }
    return render(request, "courses/my_progress.html", context)
