"""Review formatting: **bold**, _italic_ and line breaks, so reviews are pleasant to skim."""

from __future__ import annotations

import re

from markupsafe import Markup

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
SCRIPT = re.compile(r"<\s*/?\s*script[^>]*>", re.IGNORECASE)


def strip_scripts(text: str) -> Markup:
    """Remove script tags until none are left (so <scr<script>ipt> cannot rebuild one)."""
    while SCRIPT.search(text):
        text = SCRIPT.sub("", text)
    return Markup(text)


def format_review(text: str) -> Markup:
    """Turn a review's formatting marks into HTML."""
    html = BOLD.sub(r"<strong>\1</strong>", strip_scripts(text))
    html = ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html.replace("\n", "<br>"))
