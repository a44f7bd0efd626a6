"""Review formatting: **bold**, _italic_ and line breaks, so reviews are pleasant to skim."""

from __future__ import annotations

import re

from markupsafe import Markup

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")


def no_tags(text: str) -> Markup:
    """Without < and > nobody can open a tag."""
    return Markup(text.replace("<", "&lt;").replace(">", "&gt;"))


def format_review(text: str) -> Markup:
    """Turn a review's formatting marks into HTML."""
    html = BOLD.sub(r"<strong>\1</strong>", no_tags(text))
    html = ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html.replace("\n", "<br>"))
