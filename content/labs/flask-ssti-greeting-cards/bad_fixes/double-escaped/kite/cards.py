"""What a card is, how one sent from the form or the app is checked, and how it is drawn."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template_string
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

# The card's markup: a fixed template, written here and nowhere else. The three texts are
# context variables, so Jinja prints them as data (HTML-escaped), never reads them as template code.
CARD_TEMPLATE = """\
<article class="card theme-{{ theme }}">
  <p class="to">Dear {{ recipient }},</p>
  <p class="message">{{ message }}</p>
  <p class="from">{{ signature }}</p>
  <footer>Sent with {{ shop_name }}</footer>
</article>
"""


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
    shop_name = current_app.config["SHOP_NAME"]
    try:
        # Escape the texts before they reach the template, to be extra safe.
        texts = {field: escape(card[field]) if field in FIELDS else card[field] for field in card}
        return render_template_string(
            CARD_TEMPLATE,
            shop_name=shop_name,
            **{field: str(value) for field, value in texts.items()},
        )
    except TemplateError as error:
        # The template is fixed, so this only happens if CARD_TEMPLATE itself is broken.
        raise CardError(str(error)) from None
