"""Cogwheel Cycles' stock API: ``uvicorn main:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from inventory import db
from inventory.routes import router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    db.rebuild()
    yield


app = FastAPI(title="Cogwheel Cycles stock API", lifespan=lifespan)
app.include_router(router)
