"""Guestbook entries and the search log, in memory (the hut's Pi has no disk to spare)."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_RECENT_SEARCHES = 50
MAX_SUGGESTIONS = 8


@dataclass
class Entry:
    id: int
    author: str
    hometown: str
    message: str
    created_at: str
    reported: bool = False
    hidden: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["hidden"]
        return data


@dataclass
class Store:
    entries: list[Entry] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def entry_create(self, *, author: str, hometown: str, message: str) -> Entry:
        with self.lock:
            entry = Entry(
                id=len(self.entries) + 1,
                author=author,
                hometown=hometown,
                message=message,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self.entries.append(entry)
            return entry

    def entry_get(self, entry_id: int) -> Entry | None:
        if 1 <= entry_id <= len(self.entries):
            return self.entries[entry_id - 1]
        return None

    def entry_list(self, *, limit: int = 20) -> list[Entry]:
        """Visible entries, newest first."""
        visible = [entry for entry in reversed(self.entries) if not entry.hidden]
        return visible[:limit]

    def entry_search(self, text: str) -> list[Entry]:
        needle = text.casefold()
        return [
            entry
            for entry in reversed(self.entries)
            if not entry.hidden
            and (needle in entry.message.casefold() or needle in entry.author.casefold())
        ]

    def search_record(self, text: str) -> None:
        with self.lock:
            self.searches.insert(0, text)
            del self.searches[MAX_RECENT_SEARCHES:]

    def search_suggestions(self, prefix: str) -> list[str]:
        """Recent searches that start with ``prefix`` (two characters at least), newest first."""
        start = prefix.strip().casefold()
        if len(start) < 2:
            return []
        found: list[str] = []
        for text in self.searches:
            if text.casefold().startswith(start) and text not in found:
                found.append(text)
        return found[:MAX_SUGGESTIONS]


SEED = [
    ("Ingrid", "Bergen", "Up before the fog rolled in. The **blueberry pancakes** saved us."),
    ("Tomasz", "Kraków", "Third visit. The stove still smokes if you open the _left_ vent!"),
    ("Aiko", "Sapporo", "Route notes for the ridge: [trail report](https://trails.example/ridge)"),
    ("Sam & Lou", "Leeds", 'Saw 3 ibex <3 Sorry about the "borrowed" map, it\'s back.'),
]


def seeded_store() -> Store:
    store = Store()
    for author, hometown, message in SEED:
        store.entry_create(author=author, hometown=hometown, message=message)
    return store
