"""Summit Hut guestbook: walkers sign it, search it, and report entries to the moderators."""

from __future__ import annotations

import hmac
import os
import secrets
from typing import Any

from flask import Flask, abort, jsonify, redirect, render_template, request, url_for

from . import modbot
from .formatting import format_message, no_tags
from .store import seeded_store

FIELDS = {"author": 60, "hometown": 60, "message": 2000}


def validate(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Clean the three fields of an entry; return the values and any errors by field."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, limit in FIELDS.items():
        value = data.get(name, "")
        if not isinstance(value, str):
            errors[name] = "must be text"
            continue
        value = value.strip()
        if name != "hometown" and not value:
            errors[name] = "is required"
        elif len(value) > limit:
            errors[name] = f"must be at most {limit} characters"
        values[name] = value
    return values, errors


def create_app() -> Flask:
    app = Flask(__name__)
    # The moderators' token: every moderation form carries it. It never leaves their pages.
    app.config["MODERATOR_TOKEN"] = os.environ.get("LAB_FLAG", "mod-token-dev")
    # The moderators' session cookie, fresh on every start.
    app.config["MODERATOR_SESSION"] = secrets.token_hex(16)
    store = seeded_store()
    app.jinja_env.globals["format_message"] = format_message
    app.jinja_env.globals["no_tags"] = no_tags

    def is_moderator() -> bool:
        cookie = request.cookies.get("moderator_session", "")
        return hmac.compare_digest(cookie.encode(), app.config["MODERATOR_SESSION"].encode())

    def entry_or_404(entry_id: int):
        entry = store.entry_get(entry_id)
        if entry is None or entry.hidden:
            abort(404)
        return entry

    @app.get("/")
    def index():
        return render_template("index.html", entries=store.entry_list(), errors={}, values={})

    @app.post("/sign")
    def sign():
        values, errors = validate(request.form.to_dict())
        if errors:
            return render_template(
                "index.html", entries=store.entry_list(), errors=errors, values=values
            ), 400
        entry = store.entry_create(**values)
        return redirect(url_for("entry_detail", entry_id=entry.id), code=303)

    @app.get("/entries/<int:entry_id>")
    def entry_detail(entry_id: int):
        return render_template("entry.html", entry=entry_or_404(entry_id))

    @app.post("/entries/<int:entry_id>/report")
    def entry_report(entry_id: int):
        entry = entry_or_404(entry_id)
        entry.reported = True
        modbot.review(app, entry.id)
        return render_template("reported.html", entry=entry)

    @app.get("/search")
    def search():
        text = request.args.get("q", "").strip()[:2000]
        results = store.entry_search(text) if text else []
        if text:
            store.search_record(text)
        return render_template("search.html", q=text, results=results)

    @app.get("/search/suggestions")
    def search_suggestions():
        """What other visitors searched for, starting with what has been typed so far."""
        return jsonify(store.search_suggestions(request.args.get("q", "")))

    @app.get("/moderation/reports/<int:entry_id>")
    def moderation_review(entry_id: int):
        if not is_moderator():
            abort(403)
        entry = store.entry_get(entry_id)
        if entry is None:
            abort(404)
        return render_template("moderation.html", entry=entry, token=app.config["MODERATOR_TOKEN"])

    @app.post("/moderation/reports/<int:entry_id>/hide")
    def moderation_hide(entry_id: int):
        token = request.form.get("moderator_token", "")
        if not is_moderator() or not hmac.compare_digest(
            token.encode(), app.config["MODERATOR_TOKEN"].encode()
        ):
            abort(403)
        entry = store.entry_get(entry_id)
        if entry is None:
            abort(404)
        entry.hidden = True
        return redirect(url_for("index"), code=303)

    @app.get("/api/entries")
    def api_entries():
        return jsonify([entry.as_json() for entry in store.entry_list(limit=50)])

    @app.post("/api/entries")
    def api_entry_create():
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return jsonify(error="send a JSON object"), 400
        values, errors = validate(data)
        if errors:
            return jsonify(errors=errors), 400
        return jsonify(store.entry_create(**values).as_json()), 201

    @app.get("/api/entries/<int:entry_id>")
    def api_entry(entry_id: int):
        return jsonify(entry_or_404(entry_id).as_json())

    return app
