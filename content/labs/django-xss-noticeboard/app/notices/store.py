"""Notices and the search log, kept in memory: the society's server is a donated laptop."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.safestring import SafeString, mark_safe

MAX_RECENT_SEARCHES = 50
MAX_SUGGESTIONS = 8


@dataclass
class Notice:
    id: int
    author: str
    title: str
    body: str
    contact: str
    created_at: str
    reported: bool = False
    removed: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["removed"]
        return data

    @property
    def byline(self) -> SafeString:
        """The member's name in bold, as the paper noticeboard's cards had it."""
        return mark_safe(f'<b class="author" title="Posted by {self.author}">{self.author}</b>')


@dataclass
class Store:
    notices: list[Notice] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def notice_create(self, **values: str) -> Notice:
        with self.lock:
            notice = Notice(
                id=len(self.notices) + 1,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                **values,
            )
            self.notices.append(notice)
            return notice

    def notice_get(self, notice_id: int) -> Notice | None:
        if 1 <= notice_id <= len(self.notices):
            notice = self.notices[notice_id - 1]
            return None if notice.removed else notice
        return None

    def notice_list(self, *, limit: int = 20) -> list[Notice]:
        """Notices, newest first."""
        return [notice for notice in reversed(self.notices) if not notice.removed][:limit]

    def notice_search(self, text: str) -> list[Notice]:
        needle = text.casefold()
        return [
            notice
            for notice in reversed(self.notices)
            if not notice.removed
            and (needle in notice.title.casefold() or needle in notice.body.casefold())
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
    (
        "Maud",
        "Spare seed potatoes",
        "A sack of **Charlotte** seed potatoes, free to a good plot.",
        "",
    ),
    ("Kwame", "Water butts", "The _left_ tap on plot 12 leaks.\nPlease close it firmly.", ""),
    ("Ole & Sara", "Shed swap <3", 'Swapping our shed key rota: see the "rota" sheet.', ""),
    ("Priya", "Courgette glut", "Take as many as you like!", "https://priya.example/"),
]

store = Store()
for _author, _title, _body, _contact in SEED:
    store.notice_create(author=_author, title=_title, body=_body, contact=_contact)
