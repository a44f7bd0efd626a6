"""The staff operations page: is grading keeping up, and if not, where does it hurt?"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from labs.selectors.broker import broker_status
from labs.selectors.operations import WINDOW, operations_overview


@never_cache
@login_required
@require_GET
def operations(request: HttpRequest) -> HttpResponse:
    """Staff only; anyone else signed in gets a 404, as if the page did not exist."""
    if not request.user.is_staff:
        raise Http404("No such page.")
    overview = operations_overview()
    # An error links to its admin page only for those the admin would let in to see it.
    may_view = {
        "Submission": request.user.has_perm("labs.view_submission"),
        "Exploit": request.user.has_perm("labs.view_exploitattempt"),
    }
    errors = [
        (error, reverse(error.admin_url_name, args=[error.pk]) if may_view[error.job] else "")
        for error in overview.errors
    ]
    context = {
        "overview": overview,
        "broker": broker_status(),
        "errors": errors,
        "window_minutes": int(WINDOW.total_seconds() // 60),
    }
    return render(request, "labs/operations.html", context)
