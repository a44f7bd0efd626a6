"""Billfold: an invoicing API for freelancers. Each account sees and bills its own clients."""

from __future__ import annotations

from fastapi import FastAPI

from . import accounts, db, invoices


def create_app() -> FastAPI:
    db.init_database()
    app = FastAPI(
        title="Billfold",
        summary="Invoices for freelancers, from the command line or the Billfold app.",
        version="2.3.0",
    )
    app.include_router(accounts.router)
    app.include_router(invoices.router)
    return app
