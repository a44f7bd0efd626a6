"""Pages and JSON endpoints. The queries themselves live in queries.py."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, jsonify, render_template, request
from werkzeug.wrappers import Response

from .db import STATUSES, get_db
from .queries import DEFAULT_SORT, ROASTS, SORT_OPTIONS, coffee_search, order_lookup

bp = Blueprint("shop", __name__)

NOT_FOUND = "No order matches that reference and email address."
# The attack came in through the tracking form: only let well-formed values through it.
REFERENCE_RE = re.compile(r"TW-\d+")
EMAIL_RE = re.compile(r"[^'\"\s;]+@[^'\"\s;]+")


def looks_safe(reference: str, email: str) -> bool:
    return bool(REFERENCE_RE.fullmatch(reference) and EMAIL_RE.fullmatch(email))


def search_params() -> dict[str, str]:
    """The coffee list's filters, from the query string."""
    return {
        "q": request.args.get("q", "").strip(),
        "roast": request.args.get("roast", "").strip(),
        "sort": request.args.get("sort", "").strip() or DEFAULT_SORT,
    }


def pounds(pence: int) -> str:
    return f"£{pence / 100:.2f}"


def coffee_json(coffee: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": coffee["id"],
        "name": coffee["name"],
        "origin": coffee["origin"],
        "roast": coffee["roast"],
        "price": pounds(coffee["price"]),
        "roasted_on": coffee["roasted_on"],
    }


def order_json(order: dict[str, Any]) -> dict[str, Any]:
    return {
        "reference": order["reference"],
        "customer": order["customer"],
        "status": order["status"],
        "placed_on": order["placed_on"],
        "total": pounds(order["total"]),
        "items": order["items"],
    }


@bp.app_template_filter("pounds")
def pounds_filter(pence: int) -> str:
    return pounds(pence)


@bp.get("/")
def coffee_list() -> str:
    params = search_params()
    return render_template(
        "coffees.html",
        coffees=coffee_search(**params),
        params=params,
        roasts=ROASTS,
        sort_options=SORT_OPTIONS,
    )


@bp.route("/orders/track", methods=["GET", "POST"])
def order_track() -> str | tuple[str, int]:
    """The tracking form. The dispatch email links here with both fields filled in (GET)."""
    source = request.form if request.method == "POST" else request.args
    reference = source.get("reference", "").strip()
    email = source.get("email", "").strip()
    if not reference and not email:
        return render_template("track.html", order=None, values={}, statuses=STATUSES)
    values = {"reference": reference, "email": email}
    if not reference or not email:
        error = "Enter both the order reference and the email address you ordered with."
        page = render_template(
            "track.html", order=None, values=values, error=error, statuses=STATUSES
        )
        return page, 400
    if request.method == "POST" and not looks_safe(reference, email):
        error = "Order references look like TW-1234, and email addresses have no quotes."
        page = render_template(
            "track.html", order=None, values=values, error=error, statuses=STATUSES
        )
        return page, 400
    order = order_lookup(reference=reference, email=email)
    if order is None:
        page = render_template(
            "track.html", order=None, values=values, error=NOT_FOUND, statuses=STATUSES
        )
        return page, 404
    return render_template("track.html", order=order, values=values, statuses=STATUSES)


@bp.get("/api/coffees")
def api_coffees() -> Response:
    coffees = coffee_search(**search_params())
    return jsonify(count=len(coffees), results=[coffee_json(coffee) for coffee in coffees])


@bp.post("/api/orders/lookup")
def api_order_lookup() -> Response | tuple[Response, int]:
    """For the courier's app: ``{"reference": "TW-1001", "email": "..."}``."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error="Send a JSON object with reference and email."), 400
    errors = {
        field: "Required, as a non-empty string."
        for field in ("reference", "email")
        if not isinstance(data.get(field), str) or not data[field].strip()
    }
    if errors:
        return jsonify(errors=errors), 400
    order = order_lookup(reference=data["reference"].strip(), email=data["email"].strip())
    if order is None:
        return jsonify(error=NOT_FOUND), 404
    return jsonify(order_json(order))


@bp.get("/healthz")
def health() -> Response:
    get_db().execute("SELECT 1").fetchone()
    return jsonify(status="ok")
