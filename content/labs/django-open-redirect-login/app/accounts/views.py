"""Logging in and out, the drafts page, and the sign-in handoff to Inkpot's other sites."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Draft, Ticket
from accounts.redirects import inkpot_destination, with_ticket

TICKET_LIFETIME = timedelta(minutes=2)


def _next(request: HttpRequest) -> str | None:
    return request.POST.get("next") or request.GET.get("next")


def home(request: HttpRequest) -> HttpResponse:
    return redirect("drafts")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next(request) or ""
    error = None
    if request.method == "POST":
        user = authenticate(
            request,
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
        )
        if user is not None:
            login(request, user)
            destination = inkpot_destination(request, next_url)
            if destination is None:
                return redirect(settings.LOGIN_REDIRECT_URL)
            return HttpResponseRedirect(with_ticket(destination, user))
        error = "That username and password do not match."
    context = {"next": next_url, "error": error}
    return render(request, "accounts/login.html", context, status=400 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(inkpot_destination(request, _next(request)) or settings.LOGIN_URL)


@require_GET
def sso_authorize(request: HttpRequest) -> HttpResponse:
    """The forum's "Log in with Inkpot" button: back to the forum with a ticket."""
    next_url = request.GET.get("next", "")
    if not request.user.is_authenticated:
        here = f"{request.path}?{urlencode({'next': next_url})}"
        return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': here})}")
    destination = inkpot_destination(request, next_url)
    if destination is None:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return HttpResponseRedirect(with_ticket(destination, request.user))


@require_GET
def sso_enter(request: HttpRequest) -> HttpResponse:
    """Where a ticket comes back to: sign this browser in as the ticket's member, once."""
    token = request.GET.get("ticket", "")
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update()
            .filter(token=token, used=False, created_at__gte=timezone.now() - TICKET_LIFETIME)
            .select_related("user")
            .first()
        )
        if ticket is None:
            return HttpResponse("This ticket is not valid (any more).", status=403)
        ticket.used = True
        ticket.save(update_fields=["used"])
    login(request, ticket.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("drafts")


@login_required
@require_GET
def drafts(request: HttpRequest) -> HttpResponse:
    mine = Draft.objects.filter(owner=request.user).order_by("id")
    return render(request, "accounts/drafts.html", {"drafts": mine})
