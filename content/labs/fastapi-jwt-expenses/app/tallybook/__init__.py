"""Tallybook: expenses, a finance admin page, and a budget board shared on the office screen."""

from __future__ import annotations

from fastapi import FastAPI

from tallybook.routes import router


def create_app() -> FastAPI:
    app = FastAPI(title="Tallybook", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(router)
    return app
