"""Guestbook formatting: **bold**, _italic_ and [links](https://...), as in the paper book."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def format_message(text: str) -> Markup:
    """Escape the message, then turn its formatting marks into HTML."""
    html = str(escape(text))
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    html = LINK.sub(r'<a href="\2" rel="nofollow">\1</a>', html)
    html = html.replace("\n", "<br>")
    return Markup(html)
