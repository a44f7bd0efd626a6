from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalogue.models import Book, Category
from catalogue.search import DEFAULT_SORT, SORT_OPTIONS, BookHit, search_books


# A quote is how a search breaks out of the SQL string: nobody needs one to find a book.
QUOTES = ("'", '"')
REFUSED = "Searches cannot contain quotes."


def _has_quotes(params: dict[str, str]) -> bool:
    return any(quote in value for value in params.values() for quote in QUOTES)


def _search_params(request: HttpRequest) -> dict[str, str]:
    """The search filters from the query string, as the search form sends them."""
    return {
        "q": request.GET.get("q", "").strip(),
        "category": request.GET.get("category", "").strip(),
        "max_price": request.GET.get("max_price", "").strip(),
        "sort": request.GET.get("sort", "").strip() or DEFAULT_SORT,
    }


@require_GET
def book_search(request: HttpRequest) -> HttpResponse:
    params = _search_params(request)
    if _has_quotes(params):
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
    if _has_quotes(params):
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
