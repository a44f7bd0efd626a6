"""Corkboard: a notice board for a small studio, with previews of the links people pin."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from corkboard import platform


def load_settings() -> dict:
    """The app's settings come from the platform's config agent, like every app on it."""
    response = httpx.get(f"{platform.AGENT_URL}/v1/config", timeout=3.0)
    response.raise_for_status()
    return response.json()


def create_app() -> FastAPI:
    from corkboard.routes import router

    platform.start()
    app = FastAPI(title="Corkboard", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = load_settings()
    app.include_router(router)
    return app
