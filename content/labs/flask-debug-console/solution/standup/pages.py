"""The HTML side of Standup: the dashboard, the posting form, one update's page."""

from __future__ import annotations

import math

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from . import db
from .updates import STATUSES, validate_update

bp = Blueprint("pages", __name__)


@bp.get("/")
def dashboard() -> str:
    per_page = current_app.config["UPDATES_PER_PAGE"]
    # A page number that is not a number shows the first page rather than crashing.
    page = request.args.get("page", 1, type=int)
    pages = max(1, math.ceil(db.update_count() / per_page))
    page = min(max(page, 1), pages)
    return render_template(
        "dashboard.html",
        updates=db.update_list(limit=per_page, offset=(page - 1) * per_page),
        counts=db.status_counts(),
        statuses=STATUSES,
        page=page,
        pages=pages,
    )


@bp.route("/updates/new", methods=["GET", "POST"])
def update_create() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("updates/form.html", statuses=STATUSES, values={}, errors={})

    # A missing field is a validation error like an empty one, not a crash.
    submitted = {
        "author": request.form.get("author", ""),
        "status": request.form.get("status", ""),
        "summary": request.form.get("summary", ""),
    }
    cleaned, errors = validate_update(submitted)
    if errors:
        page = render_template(
            "updates/form.html", statuses=STATUSES, values=submitted, errors=errors
        )
        return page, 400

    update = db.update_create(**cleaned)
    flash("Update posted. Thanks for keeping the team in the loop!")
    return redirect(url_for("pages.update_detail", update_id=update["id"]), code=303)


@bp.get("/updates/<int:update_id>")
def update_detail(update_id: int) -> str:
    update = db.update_get(update_id)
    if update is None:
        abort(404)
    return render_template("updates/detail.html", update=update, statuses=STATUSES)
