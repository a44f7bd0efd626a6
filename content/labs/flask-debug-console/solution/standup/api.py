"""The JSON API, used by the team's chat bot and the wall display."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from werkzeug.wrappers import Response

from . import db
from .updates import STATUSES, validate_update

bp = Blueprint("api", __name__)

LIMIT_MAX = 100


def _as_json(update: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": update["id"],
        "author": update["author"],
        "status": update["status"],
        "summary": update["summary"],
        "created_at": update["created_at"],
        "url": url_for("api.update_get", update_id=update["id"]),
    }


@bp.get("/api/updates")
def update_list() -> Response | tuple[Response, int]:
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        return jsonify(error=f"Unknown status {status!r}."), 400
    try:
        limit = min(int(request.args.get("limit", "20")), LIMIT_MAX)
    except ValueError:
        return jsonify(error="The limit must be a whole number."), 400
    updates = db.update_list(limit=max(limit, 0), status=status)
    return jsonify(updates=[_as_json(update) for update in updates])


@bp.post("/api/updates")
def update_create() -> tuple[Response, int, dict[str, str]] | tuple[Response, int]:
    data = request.get_json()
    if not isinstance(data, dict):
        return jsonify(error="Send a JSON object."), 400
    cleaned, errors = validate_update(data)
    if errors:
        return jsonify(errors=errors), 400
    body = _as_json(db.update_create(**cleaned))
    return jsonify(body), 201, {"Location": body["url"]}


@bp.get("/api/updates/<int:update_id>")
def update_get(update_id: int) -> Response | tuple[Response, int]:
    update = db.update_get(update_id)
    if update is None:
        return jsonify(error="No such update."), 404
    return jsonify(_as_json(update))


@bp.get("/healthz")
def health() -> Response:
    db.get_db().execute("SELECT 1").fetchone()
    return jsonify(status="ok")
