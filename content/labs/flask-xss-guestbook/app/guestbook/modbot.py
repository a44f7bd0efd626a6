"""Mod, the moderation bot: it looks at every reported entry the moment it is reported.

Mod opens the moderators' review page for the entry, signed in as a moderator, and loads the
images on that page the way a browser would (with scripts switched off, which is why it is cheap
to run). It only ever loads addresses on this site. This file is part of the hut's setup, not of
the guestbook: it stands for the moderator's browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from flask import Flask

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


def same_site(src: str) -> tuple[str, str] | None:
    """The path and query a browser would request for ``src``, when it stays on this site."""
    # Browsers drop tabs and newlines from URLs and percent-encode what is left.
    cleaned = src.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    safe = "/=&%+:@,;!$'()*?~-._"
    return quote(parts.path, safe=safe), quote(parts.query, safe=safe)


def review(app: Flask, entry_id: int) -> None:
    """Open the review page of one reported entry as a moderator and load its images."""
    browser = app.test_client()
    browser.set_cookie("moderator_session", app.config["MODERATOR_SESSION"])
    page = browser.get(f"/moderation/reports/{entry_id}")
    finder = ImageFinder()
    finder.feed(page.get_data(as_text=True))
    for src in finder.sources[:MAX_IMAGES]:
        target = same_site(src)
        if target is not None:
            path, query = target
            browser.get(path, query_string=query)
