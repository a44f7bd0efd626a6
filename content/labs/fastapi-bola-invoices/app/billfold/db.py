"""The database: a SQLite file in a temporary folder, created and filled when the app starts.

The demo server is rebuilt from scratch on every deploy, so nothing here outlives the process.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from .models import Account, Base, Invoice, InvoiceStatus

_folder = tempfile.mkdtemp(prefix="billfold-")
engine = create_engine(
    f"sqlite:///{os.path.join(_folder, 'billfold.sqlite3')}",
    connect_args={"check_same_thread": False},
)
SessionLocal = sessionmaker(engine, expire_on_commit=False)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_db() -> Iterator[Session]:
    """One session per request (a FastAPI dependency)."""
    with SessionLocal() as session:
        yield session


def _seed_accounts() -> list[tuple[str, str, str]]:
    # Tokens for the two demo accounts are in the README; Morgan's is known to nobody.
    return [
        ("Alex Okafor", "alex@billfold.test", "bf_alex_4e1f0a9c2b7d"),
        ("Morgan Reyes", "morgan@billfold.test", "bf_" + secrets.token_hex(16)),
        ("Blake Sørensen", "blake@billfold.test", "bf_blake_93c5d2e81a06"),
    ]


def _seed_invoices() -> list[tuple]:
    # Patchwise plants a fresh flag in LAB_FLAG every time it starts the app.
    flag = os.environ.get("LAB_FLAG") or "FLAG{local-development-flag}"
    d = datetime.date
    # (owner email, number, client, description, amount, currency, status, due on, notes)
    return [
        (
            "alex@billfold.test",
            "ALEX-0041",
            "Hartley & Vine",
            "Brand workshop, half day",
            "650.00",
            "GBP",
            InvoiceStatus.PAID,
            d(2026, 10, 15),
            "Thank you for paying early!",
        ),
        (
            "alex@billfold.test",
            "ALEX-0042",
            "Quayside Dental",
            "Website copy, five pages",
            "1200.00",
            "GBP",
            InvoiceStatus.SENT,
            d(2026, 11, 20),
            "",
        ),
        (
            "morgan@billfold.test",
            "MR-2026-118",
            "Osprey Capital",
            "Pitch deck redesign",
            "8400.00",
            "EUR",
            InvoiceStatus.SENT,
            d(2026, 11, 30),
            f"Confidential under NDA, project {flag}. IBAN PT50 0035 0651 0000 4471 8302 9.",
        ),
        (
            "blake@billfold.test",
            "BS-007",
            "Northmoor Library",
            "Wayfinding signage, phase 1",
            "2300.00",
            "GBP",
            InvoiceStatus.DRAFT,
            d(2026, 12, 12),
            "VAT no. GB 318 4402 17",
        ),
        (
            "morgan@billfold.test",
            "MR-2026-119",
            "Larkspur Studio",
            "Retainer, November",
            "3000.00",
            "GBP",
            InvoiceStatus.DRAFT,
            d(2026, 12, 1),
            "Retainer renews in January.",
        ),
        (
            "alex@billfold.test",
            "ALEX-0043",
            "Hartley & Vine",
            "Brochure, eight pages",
            "980.50",
            "GBP",
            InvoiceStatus.DRAFT,
            d(2026, 12, 5),
            "Photography billed separately.",
        ),
    ]


def init_database() -> None:
    """Create the tables and fill them with the demo accounts and invoices."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with SessionLocal.begin() as session:
        accounts = {}
        for name, email, token in _seed_accounts():
            account = Account(name=name, email=email, token_hash=hash_token(token))
            session.add(account)
            accounts[email] = account
        session.flush()
        for (
            email,
            number,
            client,
            description,
            amount,
            currency,
            status,
            due_on,
            notes,
        ) in _seed_invoices():
            session.add(
                Invoice(
                    owner=accounts[email],
                    number=number,
                    client_name=client,
                    description=description,
                    amount=Decimal(amount),
                    currency=currency,
                    status=status,
                    due_on=due_on,
                    notes=notes,
                )
            )
