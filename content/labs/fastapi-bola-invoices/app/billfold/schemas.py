"""What the API accepts and returns for invoices."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import InvoiceStatus

Currency = Literal["GBP", "EUR", "USD"]
Amount = Annotated[Decimal, Field(gt=0, le=Decimal("1000000"), max_digits=12, decimal_places=2)]
Text100 = Annotated[str, Field(min_length=1, max_length=100)]


class InvoiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: Annotated[str, Field(min_length=1, max_length=30)]
    client_name: Text100
    description: Annotated[str, Field(min_length=1, max_length=500)]
    amount: Amount
    currency: Currency = "GBP"
    due_on: datetime.date
    notes: Annotated[str, Field(max_length=2000)] = ""


class InvoiceUpdate(BaseModel):
    """A PATCH: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    client_name: Text100 | None = None
    description: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    status: InvoiceStatus | None = None
    due_on: datetime.date | None = None
    notes: Annotated[str, Field(max_length=2000)] | None = None


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    client_name: str
    description: str
    amount: Decimal
    currency: str
    status: InvoiceStatus
    due_on: datetime.date
    notes: str
