"""The SQL behind the API: the parts list, one part, and the stock report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from .db import engine

SORTS = ["sku", "name", "stock", "price"]
GROUPS = ["category", "warehouse"]


def quoted(value: str) -> str:
    """An SQL string literal: quotes doubled, as SQL writes them, and no NUL bytes."""
    value = value.replace("\x00", "").replace("'", "''").replace(":", "\\:")
    return "'" + value + "'"


def list_parts(
    *, q: str = "", category: str = "", sort: str = "name", order: str = "asc"
) -> list[dict[str, Any]]:
    """Parts whose name or SKU contains ``q``, of one category if given, sorted."""
    sort = sort if sort in SORTS else "name"
    order = "DESC" if order.lower() == "desc" else "ASC"
    pattern = quoted(f"%{q}%")
    sql = (
        "SELECT sku, name, category, warehouse, stock, price FROM parts"
        f" WHERE (name LIKE {pattern} OR sku LIKE {pattern})"
    )
    if category:
        sql += f" AND category = {quoted(category)}"
    sql += f" ORDER BY {sort} {order}, sku"
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql)).mappings()]


def get_part(sku: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                text(
                    "SELECT sku, name, category, warehouse, stock, price FROM parts"
                    f" WHERE sku = {quoted(sku)}"
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
    group_by = group_by if group_by in GROUPS else "category"
    sql = (
        f"SELECT {group_by} AS grp, COUNT(*) AS parts, SUM(stock) AS units,"
        " SUM(stock * price) AS value FROM parts WHERE 1 = 1"
    )
    if warehouse is not None:
        sql += f" AND warehouse = {quoted(warehouse)}"
    if categories:
        sql += " AND category IN (" + ", ".join(quoted(name) for name in categories) + ")"
    if below is not None:
        sql += f" AND stock < {int(below)}"
    sql += f" GROUP BY {group_by} ORDER BY grp"
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql)).mappings()]
