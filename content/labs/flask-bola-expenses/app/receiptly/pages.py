"""The web pages: your expenses, one expense, and the forms to add, change and remove them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from . import db
from .auth import login_required
from .expenses import CATEGORIES, pounds, validate_expense

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    return {"pounds": pounds, "categories": CATEGORIES}


def _expense_or_404(expense_id: int) -> dict[str, Any]:
    expense = db.expense_get(expense_id)
    if expense is None:
        abort(404, "No such expense.")
    return expense


@bp.get("/")
@login_required
def expense_list():
    expenses = db.expense_list(owner_id=g.user["id"])
    total = sum(expense["amount_pence"] for expense in expenses)
    return render_template("expenses/list.html", expenses=expenses, total=total)


@bp.route("/expenses/new", methods=["GET", "POST"])
@login_required
def expense_create():
    errors: dict[str, str] = {}
    form = request.form.to_dict()
    if request.method == "POST":
        cleaned, errors = validate_expense(form)
        if not errors:
            expense = db.expense_create(owner_id=g.user["id"], fields=cleaned)
            return redirect(url_for("pages.expense_detail", expense_id=expense["id"]))
    return render_template("expenses/form.html", expense=None, form=form, errors=errors), (
        400 if errors else 200
    )


@bp.get("/expenses/<int:expense_id>")
@login_required
def expense_detail(expense_id: int):
    expense = _expense_or_404(expense_id)
    return render_template("expenses/detail.html", expense=expense)


@bp.route("/expenses/<int:expense_id>/edit", methods=["GET", "POST"])
@login_required
def expense_edit(expense_id: int):
    expense = _expense_or_404(expense_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form.to_dict()
        cleaned, errors = validate_expense(form)
        if not errors:
            db.expense_update(expense_id=expense_id, fields=cleaned)
            return redirect(url_for("pages.expense_detail", expense_id=expense_id))
    else:
        form = {
            "title": expense["title"],
            "amount": pounds(expense["amount_pence"]),
            "category": expense["category"],
            "spent_on": expense["spent_on"],
            "note": expense["note"],
        }
    return render_template("expenses/form.html", expense=expense, form=form, errors=errors), (
        400 if errors else 200
    )


@bp.post("/expenses/<int:expense_id>/delete")
@login_required
def expense_delete(expense_id: int):
    _expense_or_404(expense_id)
    db.expense_delete(expense_id=expense_id)
    return redirect(url_for("pages.expense_list"))


@bp.get("/expenses/<int:expense_id>/receipt.txt")
@login_required
def expense_receipt(expense_id: int):
    """A plain-text claim slip that people attach to the accounts team's monthly email."""
    expense = _expense_or_404(expense_id)
    owner = db.user_get(expense["owner_id"])
    lines = [
        "Fernhill Studio expense claim",
        f"Claim no.: R-{expense['id']:05d}",
        f"Claimed by: {owner['display_name'] if owner else '?'}",
        f"Date: {expense['spent_on']}",
        f"Item: {expense['title']}",
        f"Category: {CATEGORIES.get(expense['category'], expense['category'])}",
        f"Amount: GBP {pounds(expense['amount_pence'])}",
        f"Note: {expense['note']}",
    ]
    return Response(
        "\n".join(lines) + "\n",
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="claim-{expense["id"]}.txt"'},
    )
