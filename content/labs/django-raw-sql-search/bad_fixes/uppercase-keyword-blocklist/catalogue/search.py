"""Catalogue search: the one query behind the search page and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

# The "Sort by" menu as (value, label) pairs. A leading "-" means highest first.
SORT_OPTIONS = [
    ("title", "Title, A to Z"),
    ("author", "Author, A to Z"),
    ("price", "Price, low to high"),
    ("-price", "Price, high to low"),
    ("-year", "Newest first"),
]
DEFAULT_SORT = "title"

PENNY = Decimal("0.01")


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


def search_books(
    *, q: str = "", category: str = "", max_price: str = "", sort: str = DEFAULT_SORT
) -> list[BookHit]:
    """Books whose title or author contains `q`, narrowed by category and price, in `sort` order.

    A single hand-written query (rather than the ORM) keeps the search to one round trip.
    """
    # Double every quote, as SQL does inside a string literal: O'Reilly stays one string.
    q = q.replace("'", "''")
    category = category.replace("'", "''")
    sql = f"""
        SELECT b.id, b.title, b.author, b.year, b.price, c.name, c.slug
        FROM books AS b
        JOIN categories AS c ON c.id = b.category_id
        WHERE (b.title LIKE '%{q}%' OR b.author LIKE '%{q}%')
    """
    if category:
        sql += f"  AND c.slug = '{category}'\n"
    if max_price:
        sql += f"  AND b.price <= {max_price}\n"
    direction = "DESC" if sort.startswith("-") else "ASC"
    sql += f"ORDER BY b.{sort.lstrip('-')} {direction}, b.title"

    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [_hit_from_row(row) for row in rows]


def _hit_from_row(row: tuple) -> BookHit:
    book_id, title, author, year, price, category_name, category_slug = row
    return BookHit(
        id=book_id,
        title=title,
        author=author,
        year=year,
        # SQLite hands prices back as floats (or ints for whole pounds): back to pounds and pence.
        price=Decimal(str(price)).quantize(PENNY),
        category_name=category_name,
        category_slug=category_slug,
    )
