"""What a card is, how one sent from the form or the app is checked, and how it is drawn."""

from __future__ import annotations

from typing import Any

from flask import render_template_string
from jinja2 import TemplateError
from markupsafe import escape

THEMES = {
    "sunrise": "Sunrise",
    "meadow": "Meadow",
    "harbour": "Harbour",
    "confetti": "Confetti",
}
FIELDS = ("recipient", "message", "signature")
LIMITS = {"recipient": 60, "message": 500, "signature": 60}

# The card's markup. The three texts are filled in first; then Jinja renders the result, so the
# theme and the shop's name are filled in too.
CARD_TEMPLATE = """\
<article class="card theme-{{ theme }}">
  <p class="to">Dear %(recipient)s,</p>
  <p class="message">%(message)s</p>
  <p class="from">%(signature)s</p>
  <footer>Sent with {{ config.SHOP_NAME }}</footer>
</article>
"""


def escape_text(text: str) -> str:
    """Make a text safe to place in the template: HTML-escaped, and no brace left for Jinja."""
    return str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")


class CardError(Exception):
    """The card's text could not be drawn; the message says why, for the sender to fix it."""


def validate_card(data: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Return the cleaned card and a message per invalid field (empty when all is well)."""
    if not isinstance(data, dict):
        return {}, {"card": "Send the card as an object with recipient, message and signature."}
    card: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[field] = "Write something here."
        elif len(value.strip()) > LIMITS[field]:
            errors[field] = f"Keep it under {LIMITS[field]} characters."
        else:
            card[field] = value.strip()
    theme = data.get("theme", "sunrise")
    if not isinstance(theme, str) or theme not in THEMES:
        errors["theme"] = "Pick one of: " + ", ".join(THEMES) + "."
    else:
        card["theme"] = theme
    return card, errors


def render_card(card: dict[str, str]) -> str:
    """The card as HTML, ready to put on a page or send in an email."""
    source = CARD_TEMPLATE % {field: escape_text(card[field]) for field in FIELDS}
    try:
        return render_template_string(source, theme=card["theme"])
    except TemplateError as error:
        # Someone typed a stray brace: tell them what Jinja did not like, so they can fix it.
        raise CardError(str(error)) from None
