"""Corkboard's page and JSON API."""

from __future__ import annotations

import html
import threading
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from corkboard.previews import PreviewError, fetch_preview

router = APIRouter()

_lock = threading.Lock()
NOTES: list[dict] = [
    {
        "id": 1,
        "author": "Ines",
        "text": "Fire drill on Thursday at 11:00. Meet by the bike racks.",
        "link": None,
        "preview": None,
        "posted_at": "2026-11-27T09:12:00+00:00",
    }
]


class PreviewRequest(BaseModel):
    url: str = Field(min_length=1, max_length=2000)


class NewNote(BaseModel):
    author: str = Field(min_length=1, max_length=50)
    text: str = Field(min_length=1, max_length=500)
    link: str | None = Field(default=None, max_length=2000)


@router.post("/api/preview")
def preview(body: PreviewRequest) -> dict:
    """The composer calls this while you type, to show the card before you pin the note."""
    try:
        return fetch_preview(body.url).as_dict()
    except PreviewError as error:
        raise HTTPException(error.status, detail=str(error)) from None


@router.post("/api/notes", status_code=status.HTTP_201_CREATED)
def add_note(body: NewNote) -> dict:
    card = None
    if body.link:
        try:
            card = fetch_preview(body.link).as_dict()
        except PreviewError:
            card = None  # the note is pinned anyway, just without a card
    with _lock:
        note = {
            "id": max(n["id"] for n in NOTES) + 1,
            "author": body.author,
            "text": body.text,
            "link": body.link,
            "preview": card,
            "posted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        NOTES.append(note)
    return note


@router.get("/api/notes")
def list_notes() -> dict:
    with _lock:
        return {"notes": sorted(NOTES, key=lambda n: n["id"], reverse=True)}


def _card(note: dict) -> str:
    card = note["preview"]
    if not card:
        return ""
    return (
        f'<a class="card" href="{html.escape(card["final_url"])}">'
        f"<strong>{html.escape(card['title'])}</strong>"
        f"<span>{html.escape(card['description'] or card['excerpt'])}</span></a>"
    )


@router.get("/", response_class=HTMLResponse)
def board(request: Request) -> str:
    name = html.escape(request.app.state.settings["board_name"])
    items = "".join(
        f'<li class="note"><p>{html.escape(n["text"])}</p>'
        f"<small>{html.escape(n['author'])}</small>{_card(n)}</li>"
        for n in list_notes()["notes"]
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
        f"</head><body><h1>{name} notice board</h1><ul>{items}</ul></body></html>"
    )


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
