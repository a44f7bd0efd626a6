"""Mod, the moderation bot: it looks at every reported notice the moment it is reported.

Mod opens the staff page for the notice, signed in as staff, and loads the images on that page
the way a browser would (with scripts switched off, which is why it is cheap to run). It only ever
loads addresses on this site. This file is part of the society's setup, not of the noticeboard:
it stands for the committee's browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.test import Client

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
    """The path and query a browser would request for ``src``, when it stays on this site."""
    # Browsers drop tabs and newlines from URLs and percent-encode what is left.
    cleaned = src.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    safe = "/=&%+:@,;!$'()*?~-._"
    target = quote(parts.path, safe=safe)
    return f"{target}?{quote(parts.query, safe=safe)}" if parts.query else target


def review(notice_id: int) -> None:
    """Open the staff page of one reported notice and load its images."""
    browser = Client()
    browser.cookies["staff_session"] = settings.STAFF_SESSION
    page = browser.get(f"/staff/notices/{notice_id}/")
    finder = ImageFinder()
    finder.feed(page.content.decode())
    for src in finder.sources[:MAX_IMAGES]:
        target = same_site(src)
        if target is not None:
            browser.get(target)
