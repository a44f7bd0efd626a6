"""The API's endpoints. The SQL itself lives in queries.py."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException

from . import queries
from .schemas import Part, PartList, ReportRow, StockReport, StockReportRequest

router = APIRouter()


@router.get("/api/parts")
def part_list(
    q: str = "",
    category: str = "",
    sort: Literal["sku", "name", "stock", "price"] = "name",
    order: Literal["asc", "desc"] = "asc",
) -> PartList:
    """The parts list for the shop floor: ``?q=chain&category=chains&sort=price&order=desc``.

    FastAPI answers 422 for a sort or order outside these lists, before any query runs.
    """
    parts = queries.list_parts(q=q.strip(), category=category.strip(), sort=sort, order=order)
    return PartList(count=len(parts), results=[Part(**part) for part in parts])


@router.get("/api/parts/{sku}")
def part_detail(sku: str) -> Part:
    part = queries.get_part(sku)
    if part is None:
        raise HTTPException(status_code=404, detail=f"No part with SKU {sku}.")
    return Part(**part)


@router.post("/api/reports/stock")
def stock_report(request: StockReportRequest) -> StockReport:
    """The stock report the buyers read every Monday: totals per category or per warehouse."""
    rows = queries.stock_report(
        group_by=request.group_by,
        warehouse=request.warehouse,
        categories=request.categories,
        below=request.below,
    )
    return StockReport(
        group_by=request.group_by,
        rows=[
            ReportRow(
                group=str(row["grp"]),
                parts=row["parts"],
                units=row["units"] or 0,
                value=row["value"] or 0,
            )
            for row in rows
        ],
    )


@router.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}
