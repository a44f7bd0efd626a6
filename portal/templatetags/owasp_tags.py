"""Template filters that split any item's OWASP ids into 2025 labels and older ids.

Path steps point at articles, quizzes and labs alike; the filters read the plain ``owasp`` list
each of them carries, so one partial shows the tags of whatever the step is.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from portal.lib.owasp import is_current, owasp_label

register = template.Library()


@register.filter
def owasp_current(codes: Iterable[str] | None) -> list[str]:
    """``A05:2025 Injection`` for each 2025 id, in the order the item lists them."""
    return [owasp_label(code) for code in codes or [] if is_current(code)]


@register.filter
def owasp_older(codes: Iterable[str] | None) -> list[str]:
    """Ids from earlier editions, shown as secondary tags."""
    return [code for code in codes or [] if not is_current(code)]
