"""Catalogue search: the one query behind the search page and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from catalogue.models import Book

# The "Sort by" menu as (value, label) pairs. A leading "-" means highest first.
SORT_OPTIONS = [
    ("title", "Title, A to Z"),
    ("author", "Author, A to Z"),
    ("price", "Price, low to high"),
    ("-price", "Price, high to low"),
    ("-year", "Newest first"),
]
DEFAULT_SORT = "title"

# What each menu value means as an ordering. ORDER BY takes column names, and a name can never be
# sent as a query parameter, so user input only ever picks one of these fixed entries: it is never
# pasted into the SQL. Anything else falls back to the default.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "author": ("author", "title"),
    "price": ("price", "title"),
    "-price": ("-price", "title"),
    "-year": ("-year", "title"),
}


@dataclass(frozen=True)
class BookHit:
    """One search result: what the results list and the API show about a book."""

    id: int
    title: str
    author: str
    year: int
    price: Decimal
    category_name: str
    category_slug: str

    @classmethod
    def from_book(cls, book: Book) -> BookHit:
        return cls(
            id=book.pk,
            title=book.title,
            author=book.author,
            year=book.year,
            price=book.price,
            category_name=book.category.name,
            category_slug=book.category.slug,
        )


def search_books(
    *, q: str = "", category: str = "", max_price: str = "", sort: str = DEFAULT_SORT
) -> list[BookHit]:
    """Books whose title or author contains `q`, narrowed by category and price, in `sort` order.

    The ORM sends every value to the database as a query parameter, separate from the SQL text, so
    quotes, dashes and percent signs in a search are only ever text. One query, as before, thanks to
    select_related.
    """
    books = Book.objects.select_related("category")
    if q:
        books = books.filter(Q(title__icontains=q) | Q(author__icontains=q))
    if category:
        books = books.filter(category__slug=category)
    price_limit = _parse_price(max_price)
    if price_limit is not None:
        books = books.filter(price__lte=price_limit)
    books = books.order_by(*ORDERINGS.get(sort, ORDERINGS[DEFAULT_SORT]))
    return [BookHit.from_book(book) for book in books]


def _parse_price(value: str) -> Decimal | None:
    """The price limit as a number, or None (no limit) when it is empty or not a number.

    The form's number field never sends anything else, so only hand-made URLs meet the fallback.
    """
    try:
        price = Decimal(value)
    except InvalidOperation:
        return None
    return price if price.is_finite() else None
