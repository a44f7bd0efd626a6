"""Markdown to safe HTML: one pipeline for every piece of authored text on the site.

Authors are trusted to write, not to run script: the HTML Python-Markdown produces is sanitised
with nh3 (an allow-list), so no script, event handler or ``javascript:`` URL survives, whoever
wrote it. Pygments highlights code with CSS classes (no inline styles: the CSP forbids them).
"""

from __future__ import annotations

import markdown as md
import nh3

_EXTENSIONS = [
    "fenced_code",
    "tables",
    "toc",
    "admonition",
    "attr_list",
    "codehilite",
    "sane_lists",
]
_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False, "linenums": False},
    "toc": {"permalink": False, "toc_depth": "2-3"},
}

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}


def render_markdown(text: str) -> str:
    """Render author Markdown to sanitised HTML."""
    html = md.markdown(text, extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return sanitize_html(html)


def sanitize_html(html: str) -> str:
    """Keep only harmless tags and attributes; links may only be http(s), mailto or relative."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
