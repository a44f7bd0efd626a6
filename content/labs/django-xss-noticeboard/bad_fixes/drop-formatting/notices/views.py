"""Plotline's pages and its small JSON API."""

from __future__ import annotations

import hmac
import json
import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from . import modbot
from .forms import NoticeForm
from .store import Notice, store


def notice_or_404(notice_id: int) -> Notice:
    notice = store.notice_get(notice_id)
    if notice is None:
        raise Http404("No such notice")
    return notice


def is_staff(request: HttpRequest) -> bool:
    cookie = request.COOKIES.get("staff_session", "")
    return hmac.compare_digest(cookie.encode(), settings.STAFF_SESSION.encode())


def highlight(text: str, term: str) -> SafeString:
    """The text with every match of the search term marked, for the results list.

    Both the title and the term were typed by visitors: every piece is escaped, and the only
    HTML is the <mark> we add around each match.
    """
    pattern = re.compile(re.escape(term), re.IGNORECASE)
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(format_html("<mark>{}</mark>", found.group(0)))
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "notices/notice_list.html", {"notices": store.notice_list(), "form": NoticeForm()}
    )


@require_POST
def notice_create(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        context = {"notices": store.notice_list(), "form": form}
        return render(request, "notices/notice_list.html", context, status=400)
    notice = store.notice_create(**form.cleaned_data)
    return redirect("notices:notice-detail", notice_id=notice.id)


@require_GET
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    return render(request, "notices/notice_detail.html", {"notice": notice_or_404(notice_id)})


@require_POST
def notice_report(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = notice_or_404(notice_id)
    notice.reported = True
    modbot.review(notice.id)
    return render(request, "notices/reported.html", {"notice": notice})


@require_GET
def notice_search(request: HttpRequest) -> HttpResponse:
    term = request.GET.get("q", "").strip()[:2000]
    results = []
    if term:
        store.search_record(term)
        results = [(notice, highlight(notice.title, term)) for notice in store.notice_search(term)]
    return render(request, "notices/search.html", {"q": term, "results": results})


@require_GET
def search_suggestions(request: HttpRequest) -> JsonResponse:
    """What other members searched for, starting with what has been typed so far."""
    return JsonResponse(store.search_suggestions(request.GET.get("q", "")), safe=False)


@require_GET
def staff_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    if not is_staff(request):
        return HttpResponse("Staff only", status=403, content_type="text/plain")
    notice = store.notices[notice_id - 1] if 1 <= notice_id <= len(store.notices) else None
    if notice is None:
        raise Http404("No such notice")
    context = {"notice": notice, "token": settings.STAFF_TOKEN}
    return render(request, "notices/staff_notice.html", context)


@require_POST
def staff_remove(request: HttpRequest, notice_id: int) -> HttpResponse:
    token = request.POST.get("staff_token", "")
    if not is_staff(request) or not hmac.compare_digest(
        token.encode(), settings.STAFF_TOKEN.encode()
    ):
        return HttpResponse("Staff only", status=403, content_type="text/plain")
    notice_or_404(notice_id).removed = True
    return redirect("notices:notice-list")


def api_notices(request: HttpRequest) -> JsonResponse:
    if request.method == "GET":
        return JsonResponse(
            [notice.as_json() for notice in store.notice_list(limit=50)], safe=False
        )
    if request.method != "POST":
        return JsonResponse({"error": "use GET or POST"}, status=405)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "send a JSON object"}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": "send a JSON object"}, status=400)
    wrong = [name for name, value in data.items() if not isinstance(value, str)]
    if wrong:
        return JsonResponse({"errors": {name: ["must be text"] for name in wrong}}, status=400)
    form = NoticeForm(data)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse(store.notice_create(**form.cleaned_data).as_json(), status=201)


@require_GET
def api_notice(request: HttpRequest, notice_id: int) -> JsonResponse:
    notice = store.notice_get(notice_id)
    if notice is None:
        return JsonResponse({"error": "No such notice"}, status=404)
    return JsonResponse(notice.as_json())
