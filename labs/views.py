from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def lab_list(request: HttpRequest) -> HttpResponse:
    """The lab catalogue; until labs are published it explains what a lab is."""
    return render(request, "labs/lab_list.html")
