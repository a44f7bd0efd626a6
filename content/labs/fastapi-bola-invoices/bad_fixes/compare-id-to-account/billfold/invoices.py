"""The invoice endpoints: list and create your invoices, read, change, delete and print one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response, status
from sqlalchemy import select

from .accounts import DB, CurrentAccount
from .models import Account, Invoice
from .pdf import render_pdf
from .schemas import InvoiceIn, InvoiceOut, InvoiceUpdate

router = APIRouter(prefix="/invoices", tags=["invoices"])

# SQLite's integers stop at 2**63 - 1: a larger id cannot name a row.
InvoiceId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _get_invoice(db: DB, invoice_id: int, account: Account) -> Invoice:
    invoice = db.get(Invoice, invoice_id)
    if invoice is None or invoice.owner_id != account:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such invoice.")
    return invoice


@router.get("", response_model=list[InvoiceOut])
def invoice_list(db: DB, account: CurrentAccount) -> list[Invoice]:
    """Your invoices, latest due date first."""
    query = (
        select(Invoice)
        .where(Invoice.owner_id == account.id)
        .order_by(Invoice.due_on.desc(), Invoice.id.desc())
    )
    return list(db.scalars(query))


@router.post("", response_model=InvoiceOut, status_code=status.HTTP_201_CREATED)
def invoice_create(data: InvoiceIn, db: DB, account: CurrentAccount) -> Invoice:
    invoice = Invoice(owner_id=account.id, **data.model_dump())
    db.add(invoice)
    db.commit()
    db.refresh(invoice)
    return invoice


@router.get("/{invoice_id}", response_model=InvoiceOut)
def invoice_get(invoice_id: InvoiceId, db: DB, account: CurrentAccount) -> Invoice:
    return _get_invoice(db, invoice_id, account)


@router.patch("/{invoice_id}", response_model=InvoiceOut)
def invoice_update(
    invoice_id: InvoiceId, data: InvoiceUpdate, db: DB, account: CurrentAccount
) -> Invoice:
    invoice = _get_invoice(db, invoice_id, account)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"{field} cannot be null.")
        setattr(invoice, field, value)
    db.commit()
    db.refresh(invoice)
    return invoice


@router.delete("/{invoice_id}", status_code=status.HTTP_204_NO_CONTENT)
def invoice_delete(invoice_id: InvoiceId, db: DB, account: CurrentAccount) -> Response:
    invoice = _get_invoice(db, invoice_id, account)
    db.delete(invoice)
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{invoice_id}/pdf", response_class=Response)
def invoice_pdf(invoice_id: InvoiceId, db: DB, account: CurrentAccount) -> Response:
    """The invoice as the client receives it."""
    invoice = _get_invoice(db, invoice_id, account)
    lines = [
        f"INVOICE {invoice.number}",
        "",
        f"From: {invoice.owner.name} <{invoice.owner.email}>",
        f"To: {invoice.client_name}",
        f"Due: {invoice.due_on.isoformat()}",
        "",
        f"{invoice.description}",
        f"Total: {invoice.currency} {invoice.amount:,.2f}",
        "",
        *invoice.notes.splitlines(),
    ]
    return Response(
        render_pdf(lines),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="invoice-{invoice.id}.pdf"'},
    )
