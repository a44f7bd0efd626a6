from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    """Learning paths and articles; until content is loaded it explains what will be here."""
    return render(request, "courses/learn_index.html")
