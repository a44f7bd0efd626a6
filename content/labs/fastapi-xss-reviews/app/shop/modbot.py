"""Mod, the moderation bot: it looks at every reported review the moment it is reported.

Mod opens the staff review page for the review, signed in as staff, and loads the images on that
page the way a browser would (with scripts switched off, which is why it is cheap to run). It only
ever loads addresses on this shop. This file is part of the shop's setup, not of the shop: it
stands for the moderator's browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import httpx
from fastapi import FastAPI

MAX_IMAGES = 5


class ImageFinder(HTMLParser):
    """Collects the ``src`` of every ``<img>``, as a browser's parser would read it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            for name, value in attrs:
                if name == "src" and value:
                    self.sources.append(value)
                    break  # like a browser, the first src wins


def same_site(src: str) -> str | None:
    """The path and query a browser would request for ``src``, when it stays on this shop."""
    # Browsers drop tabs and newlines from URLs and percent-encode what is left.
    cleaned = src.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    safe = "/=&%+:@,;!$'()*?~-._"
    target = quote(parts.path, safe=safe)
    return f"{target}?{quote(parts.query, safe=safe)}" if parts.query else target


async def review(app: FastAPI, review_id: int, staff_session: str) -> None:
    """Open the staff page of one reported review and load its images."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://shop.local", cookies={"staff_session": staff_session}
    ) as browser:
        page = await browser.get(f"/staff/reviews/{review_id}")
        finder = ImageFinder()
        finder.feed(page.text)
        for src in finder.sources[:MAX_IMAGES]:
            target = same_site(src)
            if target is not None:
                await browser.get(target)
