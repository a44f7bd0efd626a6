"""Every query the shop's pages and API run: the coffee list and the order lookup.

Values never become part of the SQL text: each ``?`` is a placeholder that sqlite3 fills in with a
value after the statement has been parsed. The sort order is a column name, which a placeholder
is bound the same way.
"""

from __future__ import annotations

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
        " WHERE (name LIKE '%' || ? || '%' OR origin LIKE '%' || ? || '%')"
    )
    params: list[Any] = [q, q]
    if roast:
        sql += " AND roast = ?"
        params.append(roast)
    # The sort column is a parameter too, so it cannot carry SQL either.
    sql += " ORDER BY ? " + ("DESC" if sort.startswith("-") else "ASC") + ", name"
    params.append(sort.lstrip("-"))
    return [dict(row) for row in get_db().execute(sql, params)]


def order_lookup(*, reference: str, email: str) -> dict[str, Any] | None:
    """The order with this reference, if it was placed with this email address (any case).

    Both must match: the reference alone is printed on the parcel label, so it is no secret.
    """
    db = get_db()
    order = db.execute(
        "SELECT id, reference, customer, status, placed_on, total FROM orders"
        " WHERE reference = ? AND lower(email) = lower(?)",
        (reference, email),
    ).fetchone()
    if order is None:
        return None
    items = db.execute(
        "SELECT coffee, grind, quantity FROM order_items WHERE order_id = ? ORDER BY id",
        (order["id"],),
    )
    return {**dict(order), "items": [dict(item) for item in items]}
