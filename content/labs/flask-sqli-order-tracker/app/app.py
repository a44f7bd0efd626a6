"""WSGI entry point: ``gunicorn app:app``."""

from __future__ import annotations

from roastery import create_app

app = create_app()
