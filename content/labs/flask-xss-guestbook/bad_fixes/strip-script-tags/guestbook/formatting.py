"""Guestbook formatting: **bold**, _italic_ and [links](https://...), as in the paper book."""

from __future__ import annotations

import re

from markupsafe import Markup

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
SCRIPT = re.compile(r"<\s*/?\s*script[^>]*>", re.IGNORECASE)


def strip_scripts(text: str) -> str:
    """Remove script tags until none are left (so <scr<script>ipt> cannot rebuild one)."""
    while SCRIPT.search(text):
        text = SCRIPT.sub("", text)
    return text


def format_message(text: str) -> Markup:
    """Turn a message's formatting marks into HTML."""
    html = BOLD.sub(r"<strong>\1</strong>", strip_scripts(text))
    html = ITALIC.sub(r"<em>\1</em>", html)
    html = LINK.sub(r'<a href="\2" rel="nofollow">\1</a>', html)
    html = html.replace("\n", "<br>")
    return Markup(html)
