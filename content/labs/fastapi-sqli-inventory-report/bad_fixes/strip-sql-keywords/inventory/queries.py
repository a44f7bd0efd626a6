"""The SQL behind the API: the parts list, one part, and the stock report."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from .db import engine

SORTS = ["sku", "name", "stock", "price"]
# Words and symbols an attacker needs; none of them appear in a real part name or warehouse.
BLOCKED = re.compile(r"'|--|/\*|;|\b(union|select|or|and|from|where)\b", re.IGNORECASE)


def clean(value: str) -> str:
    return BLOCKED.sub("", value)


def list_parts(
    *, q: str = "", category: str = "", sort: str = "name", order: str = "asc"
) -> list[dict[str, Any]]:
    """Parts whose name or SKU contains ``q``, of one category if given, sorted."""
    q, category = clean(q), clean(category)
    sql = (
        "SELECT sku, name, category, warehouse, stock, price FROM parts"
        f" WHERE (name LIKE '%{q}%' OR sku LIKE '%{q}%')"
    )
    if category:
        sql += f" AND category = '{category}'"
    sql += f" ORDER BY {sort} {order}, sku"
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql)).mappings()]


def get_part(sku: str) -> dict[str, Any] | None:
    sku = clean(sku)
    with engine.connect() as connection:
        row = (
            connection.execute(
                text(
                    "SELECT sku, name, category, warehouse, stock, price FROM parts"
                    f" WHERE sku = '{sku}'"
                )
            )
            .mappings()
            .first()
        )
    return dict(row) if row is not None else None


def stock_report(
    *,
    group_by: str = "category",
    warehouse: str | None = None,
    categories: list[str] | None = None,
    below: int | None = None,
) -> list[dict[str, Any]]:
    """Parts, units and stock value (in pence) per category or per warehouse."""
    warehouse = clean(warehouse) if warehouse is not None else None
    categories = [clean(name) for name in categories or []]
    sql = (
        f"SELECT {group_by} AS grp, COUNT(*) AS parts, SUM(stock) AS units,"
        " SUM(stock * price) AS value FROM parts WHERE 1 = 1"
    )
    if warehouse is not None:
        sql += f" AND warehouse = '{warehouse}'"
    if categories:
        sql += " AND category IN (" + ", ".join(f"'{name}'" for name in categories) + ")"
    if below is not None:
        sql += f" AND stock < {below}"
    sql += f" GROUP BY {group_by} ORDER BY grp"
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql)).mappings()]
