"""Every query the shop's pages and API run: the coffee list and the order lookup."""

from __future__ import annotations

import sqlite3
from typing import Any

from .db import get_db

# The "Sort by" menu as (value, label) pairs. A leading "-" means highest first.
SORT_OPTIONS = [
    ("name", "Name, A to Z"),
    ("origin", "Origin, A to Z"),
    ("price", "Price, low to high"),
    ("-price", "Price, high to low"),
    ("-roasted_on", "Freshest roast first"),
]
DEFAULT_SORT = "name"
ROASTS = ["light", "medium", "dark"]


def coffee_search(
    *, q: str = "", roast: str = "", sort: str = DEFAULT_SORT
) -> list[dict[str, Any]]:
    """Coffees whose name or origin contains ``q``, of one roast if given, in ``sort`` order."""
    sql = (
        "SELECT id, name, origin, roast, price, roasted_on, notes FROM coffees"
        f" WHERE (name LIKE '%{q}%' OR origin LIKE '%{q}%')"
    )
    if roast:
        sql += " AND roast = '%s'" % roast
    direction = "DESC" if sort.startswith("-") else "ASC"
    sql += f" ORDER BY {sort.lstrip('-')} {direction}, name"
    try:
        return [dict(row) for row in get_db().execute(sql)]
    except (sqlite3.Error, ValueError):
        # A broken query (a stray quote in a search) just finds nothing.
        return []


def order_lookup(*, reference: str, email: str) -> dict[str, Any] | None:
    """The order with this reference, if it was placed with this email address (any case).

    Both must match: the reference alone is printed on the parcel label, so it is no secret.
    """
    db = get_db()
    try:
        order = db.execute(
            "SELECT id, reference, customer, status, placed_on, total FROM orders"
            f" WHERE reference = '{reference}' AND lower(email) = lower('{email}')"
        ).fetchone()
    except (sqlite3.Error, ValueError):
        # A reference with a quote in it cannot be a real one: treat it as not found.
        return None
    if order is None:
        return None
    items = db.execute(
        "SELECT coffee, grind, quantity FROM order_items WHERE order_id = {} ORDER BY id".format(
            order["id"]
        )
    )
    return {**dict(order), "items": [dict(item) for item in items]}
