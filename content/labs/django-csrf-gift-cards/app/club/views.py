"""The wallet page, its forms, and the small JSON API the page's script calls."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from club import services
from club.models import GiftCard, Member


def api_login_required(view):
    """Like login_required, but answers 401 JSON instead of redirecting to the login page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Log in first."}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def wallet_data(user) -> dict:
    member = Member.objects.get(user=user)
    bought = GiftCard.objects.filter(buyer=user).select_related("recipient").order_by("id")
    received = GiftCard.objects.filter(recipient=user).select_related("buyer").order_by("id")
    return {
        "username": user.username,
        "email": user.email,
        "points": member.points,
        "cards_bought": [
            {
                "id": card.id,
                "amount": card.amount,
                "message": card.message,
                "sent_to": card.recipient.username if card.recipient else None,
            }
            for card in bought
        ],
        "cards_received": [
            {
                "id": card.id,
                "amount": card.amount,
                "from": card.buyer.username,
                "message": card.message,
                "code": card.code,
            }
            for card in received
        ],
    }


def home(request: HttpRequest) -> HttpResponse:
    return redirect("wallet")


@login_required
@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    return render(request, "club/wallet.html", {"wallet": wallet_data(request.user)})


def _render_error(request: HttpRequest, message: str) -> HttpResponse:
    context = {"wallet": wallet_data(request.user), "error": message}
    return render(request, "club/wallet.html", context, status=400)


# The wallet's forms started failing with "CSRF verification failed" after the redesign.
@csrf_exempt
@login_required
@require_POST
def send_points(request: HttpRequest) -> HttpResponse:
    try:
        services.points_send(
            sender=request.user, to=request.POST.get("to"), points=request.POST.get("points")
        )
    except services.ClubError as error:
        return _render_error(request, str(error))
    return redirect("wallet")


@csrf_exempt
@login_required
@require_POST
def send_card(request: HttpRequest, card_id: int) -> HttpResponse:
    try:
        services.card_send(sender=request.user, card_id=card_id, to=request.POST.get("to"))
    except services.ClubError as error:
        return _render_error(request, str(error))
    return redirect("wallet")


def _json_body(request: HttpRequest) -> dict | None:
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@api_login_required
@require_GET
def api_wallet(request: HttpRequest) -> HttpResponse:
    return JsonResponse(wallet_data(request.user))


# fetch() from the wallet page got 403 here, so the API is exempt as well.
@csrf_exempt
@api_login_required
@require_POST
def api_send_card(request: HttpRequest, card_id: int) -> HttpResponse:
    body = _json_body(request)
    if body is None:
        return JsonResponse({"error": "Send a JSON object."}, status=400)
    try:
        services.card_send(sender=request.user, card_id=card_id, to=body.get("to"))
    except services.ClubError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(wallet_data(request.user))


@csrf_exempt
@api_login_required
@require_POST
def api_change_email(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    if body is None:
        return JsonResponse({"error": "Send a JSON object."}, status=400)
    try:
        services.email_change(user=request.user, email=body.get("email"))
    except services.ClubError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(wallet_data(request.user))
