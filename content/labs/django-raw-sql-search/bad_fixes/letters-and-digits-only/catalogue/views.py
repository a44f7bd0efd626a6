from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalogue.models import Book, Category
from catalogue.search import DEFAULT_SORT, SORT_OPTIONS, BookHit, search_books

# Only plain words and numbers may reach the query (and apostrophes, for names like O'Reilly: the
# query takes them as parameters now). Nothing else that SQL could read as syntax.
SAFE_TERM = re.compile(r"[A-Za-z0-9 ']*")
SAFE_SLUG = re.compile(r"[a-z0-9-]*")
REFUSED = "Please search using letters, numbers, spaces and apostrophes only."


def _search_params(request: HttpRequest) -> dict[str, str] | None:
    """The search filters from the query string, or None if any of them looks unsafe."""
    params = {
        "q": request.GET.get("q", "").strip(),
        "category": request.GET.get("category", "").strip(),
        "max_price": request.GET.get("max_price", "").strip(),
        "sort": request.GET.get("sort", "").strip() or DEFAULT_SORT,
    }
    if not SAFE_TERM.fullmatch(params["q"]) or not SAFE_SLUG.fullmatch(params["category"]):
        return None
    if params["sort"] not in dict(SORT_OPTIONS):
        return None
    if params["max_price"]:
        try:
            if not Decimal(params["max_price"]).is_finite():
                return None
        except InvalidOperation:
            return None
    return params


@require_GET
def book_search(request: HttpRequest) -> HttpResponse:
    params = _search_params(request)
    if params is None:
        return HttpResponseBadRequest(REFUSED)
    books = search_books(**params)
    return render(
        request,
        "catalogue/book_search.html",
        {
            "books": books,
            "params": params,
            "categories": Category.objects.all(),
            "sort_options": SORT_OPTIONS,
        },
    )


@require_GET
def book_detail(request: HttpRequest, pk: int) -> HttpResponse:
    book = get_object_or_404(Book.objects.select_related("category"), pk=pk)
    return render(request, "catalogue/book_detail.html", {"book": book})


@require_GET
def api_book_search(request: HttpRequest) -> JsonResponse:
    """The search page's results as JSON, for the staff's stock-taking app."""
    params = _search_params(request)
    if params is None:
        return JsonResponse({"error": REFUSED}, status=400)
    books = search_books(**params)
    return JsonResponse(
        {"count": len(books), "results": [_book_json(book) for book in books]},
        json_dumps_params={"ensure_ascii": False},
    )


def _book_json(book: BookHit) -> dict[str, object]:
    return {
        "id": book.id,
        "title": book.title,
        "author": book.author,
        "year": book.year,
        "price": str(book.price),
        "category": {"slug": book.category_slug, "name": book.category_name},
        "url": reverse("catalogue:book-detail", args=[book.id]),
    }
