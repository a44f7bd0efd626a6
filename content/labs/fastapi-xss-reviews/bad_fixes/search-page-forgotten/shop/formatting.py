"""Review formatting: **bold**, _italic_ and line breaks, so reviews are pleasant to skim.

The review is escaped first, so every character a customer typed is text. Only then are the
formatting marks turned into the few tags we chose.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")


def format_review(text: str) -> Markup:
    """Turn a review's formatting marks into HTML; everything else is shown as typed."""
    html = str(escape(text))
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html.replace("\n", "<br>"))  # noqa: S704 - escaped text and our own tags
