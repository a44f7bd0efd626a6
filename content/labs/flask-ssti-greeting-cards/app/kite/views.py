"""The designer, the preview, saved cards and the JSON API used by the mobile app."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from . import store
from .cards import FIELDS, THEMES, CardError, render_card, validate_card

bp = Blueprint("kite", __name__)


def form_data() -> dict[str, str]:
    data = {field: request.form.get(field, "") for field in FIELDS}
    data["theme"] = request.form.get("theme", "sunrise")
    return data


def designer(values: dict[str, str], errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    page = render_template("designer.html", themes=THEMES, values=values, errors=errors)
    return page, status


@bp.get("/")
def card_designer() -> tuple[str, int]:
    return designer({"theme": "sunrise"}, {})


@bp.post("/cards/preview")
def card_preview() -> tuple[str, int]:
    values = form_data()
    card, errors = validate_card(values)
    if errors:
        return designer(values, errors, 400)
    try:
        card_html = render_card(card)
    except CardError as error:
        return designer(values, {"message": f"We could not draw your card: {error}"}, 400)
    page = render_template("preview.html", card=card, card_html=Markup(card_html), themes=THEMES)
    return page, 200


@bp.post("/cards")
def card_create() -> Response | tuple[str, int]:
    values = form_data()
    card, errors = validate_card(values)
    if errors:
        return designer(values, errors, 400)
    card_id = store.card_save(card)
    return redirect(url_for("kite.card_detail", card_id=card_id), code=303)


@bp.get("/cards/<int:card_id>")
def card_detail(card_id: int) -> tuple[str, int]:
    card = store.card_get(card_id)
    if card is None:
        abort(404)
    try:
        card_html = render_card(card)
    except CardError:
        card_html = "<p>This card could not be drawn.</p>"
    return render_template("card.html", card_id=card_id, card_html=Markup(card_html)), 200


@bp.post("/api/cards/preview")
def api_card_preview() -> Response | tuple[Response, int]:
    """For the mobile app: the same preview, as JSON ``{"html": "..."}``."""
    card, errors = validate_card(request.get_json(silent=True))
    if errors:
        return jsonify(errors=errors), 400
    try:
        return jsonify(html=render_card(card))
    except CardError as error:
        return jsonify(errors={"message": f"We could not draw your card: {error}"}), 400


@bp.get("/healthz")
def health() -> Response:
    return jsonify(status="ok")
