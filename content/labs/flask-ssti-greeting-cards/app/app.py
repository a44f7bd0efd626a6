"""WSGI entry point: ``gunicorn app:app``."""

from __future__ import annotations

from kite import create_app

app = create_app()
