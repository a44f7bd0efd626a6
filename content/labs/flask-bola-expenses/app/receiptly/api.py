"""The JSON API, used by the studio's phone app to file receipts on the go."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request, url_for

from . import db
from .auth import login_required
from .expenses import as_json, validate_expense

bp = Blueprint("api", __name__, url_prefix="/api")


def _with_url(expense: dict[str, Any]) -> dict[str, Any]:
    body = as_json(expense)
    body["url"] = url_for("api.expense_get", expense_id=expense["id"])
    return body


def _json_object() -> dict[str, Any] | None:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


@bp.get("/expenses")
@login_required
def expense_list():
    expenses = db.expense_list(owner_id=g.user["id"])
    return jsonify(expenses=[_with_url(expense) for expense in expenses])


@bp.post("/expenses")
@login_required
def expense_create():
    data = _json_object()
    if data is None:
        return jsonify(error="Send a JSON object."), 400
    cleaned, errors = validate_expense(data)
    if errors:
        return jsonify(errors=errors), 400
    body = _with_url(db.expense_create(owner_id=g.user["id"], fields=cleaned))
    return jsonify(body), 201, {"Location": body["url"]}


@bp.get("/expenses/<int:expense_id>")
@login_required
def expense_get(expense_id: int):
    expense = db.expense_get(expense_id)
    if expense is None:
        return jsonify(error="No such expense."), 404
    return jsonify(_with_url(expense))


@bp.patch("/expenses/<int:expense_id>")
@login_required
def expense_update(expense_id: int):
    expense = db.expense_get(expense_id)
    if expense is None:
        return jsonify(error="No such expense."), 404
    data = _json_object()
    if data is None:
        return jsonify(error="Send a JSON object."), 400
    cleaned, errors = validate_expense(data, partial=True)
    if errors:
        return jsonify(errors=errors), 400
    db.expense_update(expense_id=expense_id, fields=cleaned)
    updated = db.expense_get(expense_id)
    assert updated is not None
    return jsonify(_with_url(updated))


@bp.delete("/expenses/<int:expense_id>")
@login_required
def expense_delete(expense_id: int):
    expense = db.expense_get(expense_id)
    if expense is None:
        return jsonify(error="No such expense."), 404
    db.expense_delete(expense_id=expense_id)
    return "", 204
