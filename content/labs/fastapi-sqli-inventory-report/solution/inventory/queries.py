"""The SQL behind the API: the parts list, one part, and the stock report.

No value from a request is ever part of the SQL text. The parts list and the part page are built
with SQLAlchemy Core, which sends every value as a bound parameter. The report keeps its
hand-written SQL in ``text()``, with ``:name`` placeholders whose values travel separately. Column
names cannot be parameters, so the request only chooses among columns listed here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, or_, select, text

from .db import PARTS, engine

SORTS = ["sku", "name", "stock", "price"]
SORT_COLUMNS = {name: PARTS.c[name] for name in SORTS}
# The report's GROUP BY column: chosen by the request, written here.
GROUP_COLUMNS = {"category": "category", "warehouse": "warehouse"}


def list_parts(
    *, q: str = "", category: str = "", sort: str = "name", order: str = "asc"
) -> list[dict[str, Any]]:
    """Parts whose name or SKU contains ``q``, of one category if given, sorted."""
    statement = select(PARTS)
    if q:
        # contains() escapes % and _ in the term (autoescape) and binds it as a parameter.
        statement = statement.where(
            or_(
                PARTS.c.name.contains(q, autoescape=True),
                PARTS.c.sku.contains(q, autoescape=True),
            )
        )
    if category:
        statement = statement.where(PARTS.c.category == category)
    column = SORT_COLUMNS.get(sort, PARTS.c.name)
    statement = statement.order_by(column.desc() if order == "desc" else column.asc(), PARTS.c.sku)
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def get_part(sku: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = connection.execute(select(PARTS).where(PARTS.c.sku == sku)).mappings().first()
    return dict(row) if row is not None else None


def stock_report(
    *,
    group_by: str = "category",
    warehouse: str | None = None,
    categories: list[str] | None = None,
    below: int | None = None,
) -> list[dict[str, Any]]:
    """Parts, units and stock value (in pence) per category or per warehouse."""
    column = GROUP_COLUMNS.get(group_by, "category")
    # The only name pasted in comes from GROUP_COLUMNS; every value is a :placeholder.
    sql = (
        "SELECT " + column + " AS grp, COUNT(*) AS parts, SUM(stock) AS units,"  # noqa: S608
        " SUM(stock * price) AS value FROM parts WHERE 1 = 1"
    )
    params: dict[str, Any] = {}
    if warehouse is not None:
        sql += " AND warehouse = :warehouse"
        params["warehouse"] = warehouse
    if categories:
        sql += " AND category IN :categories"
        params["categories"] = categories
    if below is not None:
        sql += " AND stock < :below"
        params["below"] = below
    sql += " GROUP BY " + column + " ORDER BY grp"
    statement = text(sql)
    if categories:
        # An "expanding" parameter becomes one placeholder per list item: IN (?, ?, ?).
        statement = statement.bindparams(bindparam("categories", expanding=True))
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(statement, params).mappings()]
