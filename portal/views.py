"""Site-shell views: the health check and the error pages (the home page is ``courses.home``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.selectors import broker_health, database_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and operators: 200 when the database and broker answer, else 503."""
    checks = [database_health(), broker_health()]
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "unavailable",
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)


def _error_page(status: int, template: str):
    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        return render(request, template, status=status)

    view.__name__ = f"error_{status}"
    return view


bad_request = _error_page(400, "400.html")
permission_denied = _error_page(403, "403.html")
page_not_found = _error_page(404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: whatever broke may be what they depend on.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
