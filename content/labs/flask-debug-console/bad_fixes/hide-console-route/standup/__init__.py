"""Standup: a small status board where a team posts how its work is going."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.debug import DebuggedApplication

from . import api, db, pages


def create_app() -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("settings")

    db.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return render_template("errors/500.html"), 500

    if app.debug:
        # Keep the tracebacks (they are how we debug staging) but serve no
        # console: with console_path=None there is no /console page at all.
        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True, console_path=None)

    return app
