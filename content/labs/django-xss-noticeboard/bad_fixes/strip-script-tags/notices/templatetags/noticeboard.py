"""Template filters for notices: the **bold**, _italic_ and line breaks members asked for."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html

register = template.Library()

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")
SCRIPT = re.compile(r"<\s*/?\s*script[^>]*>", re.IGNORECASE)


def strip_scripts(text: str) -> str:
    """Remove script tags until none are left (so <scr<script>ipt> cannot rebuild one)."""
    while SCRIPT.search(text):
        text = SCRIPT.sub("", text)
    return text


@register.filter
def format_notice(text: str) -> str:
    """Turn a notice's formatting marks into HTML (the template shows it unescaped)."""
    html = BOLD.sub(r"<strong>\1</strong>", strip_scripts(text))
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
