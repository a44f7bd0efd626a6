"""What the API accepts and returns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Part(BaseModel):
    sku: str
    name: str
    category: str
    warehouse: str
    stock: int
    price: int = Field(description="Price in pence.")


class PartList(BaseModel):
    count: int
    results: list[Part]


class StockReportRequest(BaseModel):
    """The body of ``POST /api/reports/stock``."""

    group_by: str = Field("category", description="category or warehouse")
    warehouse: str | None = Field(None, description="Only this warehouse.")
    categories: list[str] = Field(default_factory=list, description="Only these categories.")
    below: int | None = Field(None, ge=0, description="Only parts with fewer units in stock.")


class ReportRow(BaseModel):
    group: str
    parts: int
    units: int
    value: int = Field(description="Stock value in pence.")


class StockReport(BaseModel):
    group_by: str
    rows: list[ReportRow]
