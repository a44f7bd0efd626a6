"""ASGI entry point: ``uvicorn main:app``."""

from __future__ import annotations

from billfold import create_app

app = create_app()
