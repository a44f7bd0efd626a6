"""Standup: a small status board where a team posts how its work is going."""

from __future__ import annotations

from flask import Flask
from werkzeug.debug import DebuggedApplication

from . import api, db, pages


def create_app() -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("settings")

    db.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)

    @app.errorhandler(Exception)
    def hide_errors(error: Exception) -> tuple[str, int]:
        # Never tell an attacker what went wrong: every error looks like a
        # page that does not exist.
        return "<h1>Not Found</h1>", 404

    if app.debug:
        # Gunicorn knows nothing about Flask's debug mode, so mount Werkzeug's
        # interactive debugger ourselves: a crash then shows its traceback,
        # with a Python console in every frame. The container image sets
        # WERKZEUG_DEBUG_PIN=off because nobody can read the PIN from the
        # container logs anyway.
        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)

    return app
