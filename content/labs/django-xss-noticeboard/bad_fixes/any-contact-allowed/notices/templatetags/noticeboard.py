"""Template filters for notices: the **bold**, _italic_ and line breaks members asked for."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w])_(.+?)_(?![\w])")


@register.filter
def format_notice(text: str) -> SafeString:
    """Escape the notice, then turn its formatting marks into the few tags we chose."""
    html = escape(text)  # from here on, every character the member typed is text
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308 - escaped text and our own tags


@register.simple_tag
def contact_link(notice) -> str:
    """A link to the member's own page, when they gave one (the form only accepts http(s))."""
    if not notice.contact:
        return ""
    return format_html(
        '<a class="contact" href="{}" rel="nofollow">Contact {}</a>', notice.contact, notice.author
    )
