"""The tables: accounts with their API tokens, and the invoices each account writes."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PAID = "paid"


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(200), unique=True)
    # SHA-256 of the API token: the token itself is shown once, when it is created.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    invoices: Mapped[list[Invoice]] = relationship(back_populates="owner")


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    number: Mapped[str] = mapped_column(String(30))
    client_name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[InvoiceStatus] = mapped_column(default=InvoiceStatus.DRAFT)
    due_on: Mapped[datetime.date] = mapped_column(Date)
    # Printed under the total on the PDF: payment terms, bank details, a word to the client.
    notes: Mapped[str] = mapped_column(Text, default="")

    owner: Mapped[Account] = relationship(back_populates="invoices")
