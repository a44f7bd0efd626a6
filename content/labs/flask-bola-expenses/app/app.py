"""WSGI entry point: ``gunicorn app:app``."""

from __future__ import annotations

from receiptly import create_app

app = create_app()
