"""Template filters for notices: the **bold**, _italic_ and line breaks members asked for."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html

register = template.Library()

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")


def no_tags(text: str) -> str:
    """Without < and > nobody can open a tag."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


@register.filter
def format_notice(text: str) -> str:
    """Turn a notice's formatting marks into HTML (the template shows it unescaped)."""
    html = BOLD.sub(r"<strong>\1</strong>", no_tags(text))
    html = ITALIC.sub(r"<em>\1</em>", html)
    return html.replace("\n", "<br>")


@register.simple_tag
def contact_link(notice) -> str:
    """A link to the member's own page, when they gave one."""
    if not notice.contact:
        return ""
    return format_html(
        '<a class="contact" href="{}" rel="nofollow">Contact {}</a>', notice.contact, notice.author
    )
