"""Site-shell views: the health check and the error pages (the home page is ``courses.home``)."""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.selectors import broker_health, database_health

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: 200 when the database and broker answer, else 503.

    Anyone gets only ``{"status": "ok"}`` or ``{"status": "error"}``: which backends run here and
    which one failed is a map for an attacker. Staff also get each part's state and backend, and
    a failure is logged with its detail, so operators learn which part is down either way.
    """
    checks = [database_health(), broker_health()]
    ok = all(check.ok for check in checks)
    # Which part is down, in two words, helps whoever is paged; backends and errors do not
    # belong in a public answer.
    body: dict[str, object] = {
        "status": "ok" if ok else "error",
        "parts": {check.name: "ok" if check.ok else "down" for check in checks},
    }
    for check in checks:
        if not check.ok:
            logger.warning("healthz: %s is down (%s)", check.name, check.detail)
    if _is_staff(request):
        body["checks"] = {check.name: {"ok": check.ok, "detail": check.detail} for check in checks}
    return JsonResponse(body, status=200 if ok else 503)


def _is_staff(request: HttpRequest) -> bool:
    """Whether the viewer is staff; when the database is down nobody can be told apart."""
    try:
        return bool(request.user.is_authenticated and request.user.is_staff)
    except DatabaseError:
        return False


def _error_page(status: int, template: str):
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return render(request, template, status=status)

    view.__name__ = f"error_{status}"
    return view


bad_request = _error_page(400, "400.html")
permission_denied = _error_page(403, "403.html")
page_not_found = _error_page(404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """The page for an unhandled error: 503 with a retry hint when the database cannot be
    reached (an outage, not a bug), else 500. Rendered without context processors: whatever
    broke may be what they depend on."""
    from django.template import loader

    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
