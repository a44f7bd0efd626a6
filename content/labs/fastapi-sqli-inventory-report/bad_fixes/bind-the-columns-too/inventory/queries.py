"""The SQL behind the API: the parts list, one part, and the stock report.

Every value from a request is now a bound parameter, the column names included.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text

from .db import engine

SORTS = ["sku", "name", "stock", "price"]


def list_parts(
    *, q: str = "", category: str = "", sort: str = "name", order: str = "asc"
) -> list[dict[str, Any]]:
    """Parts whose name or SKU contains ``q``, of one category if given, sorted."""
    sql = (
        "SELECT sku, name, category, warehouse, stock, price FROM parts"
        " WHERE (name LIKE '%' || :q || '%' OR sku LIKE '%' || :q || '%')"
    )
    params: dict[str, Any] = {"q": q, "sort": sort}
    if category:
        sql += " AND category = :category"
        params["category"] = category
    sql += " ORDER BY :sort " + ("DESC" if order == "desc" else "ASC") + ", sku"
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql), params).mappings()]


def get_part(sku: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                text(
                    "SELECT sku, name, category, warehouse, stock, price FROM parts"
                    " WHERE sku = :sku"
                ),
                {"sku": sku},
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
    sql = (
        "SELECT :group_by AS grp, COUNT(*) AS parts, SUM(stock) AS units,"
        " SUM(stock * price) AS value FROM parts WHERE 1 = 1"
    )
    params: dict[str, Any] = {"group_by": group_by}
    if warehouse is not None:
        sql += " AND warehouse = :warehouse"
        params["warehouse"] = warehouse
    if categories:
        sql += " AND category IN :categories"
        params["categories"] = categories
    if below is not None:
        sql += " AND stock < :below"
        params["below"] = below
    sql += " GROUP BY :group_by ORDER BY grp"
    statement = text(sql)
    if categories:
        statement = statement.bindparams(bindparam("categories", expanding=True))
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement, params).mappings()]
