"""Guestbook formatting: **bold**, _italic_ and [links](https://...), as in the paper book.

The message is escaped first, so every character a walker typed is text. Only then are the
formatting marks turned into the few tags we chose, and a link becomes a link only when its
address is an http(s) URL.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SAFE_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    # The text is already escaped: `url` holds &amp; and &#34; for & and ", which is exactly
    # what an attribute value needs. Anything but http(s) stays plain text.
    if not SAFE_URL.fullmatch(url):
        return match.group(0)
    return f'<a href="{url}" rel="nofollow">{label}</a>'


def format_message(text: str) -> Markup:
    """Turn a message's formatting marks into HTML; everything else is shown as typed."""
    html = str(escape(text))
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    html = LINK.sub(_link, html)
    html = html.replace("\n", "<br>")
    return Markup(html)  # noqa: S704 - built from escaped text and our own tags
