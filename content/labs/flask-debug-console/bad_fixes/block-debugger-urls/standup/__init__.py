"""Standup: a small status board where a team posts how its work is going."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from werkzeug.debug import DebuggedApplication
from werkzeug.exceptions import NotFound

from . import api, db, pages


class BlockDebuggerURLs:
    """WSGI middleware: a 404 for /console and for any URL that carries __debugger__."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if path == "/console" or "__debugger__" in query:
            return NotFound()(environ, start_response)
        return self.wsgi_app(environ, start_response)


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
        # Gunicorn knows nothing about Flask's debug mode, so mount Werkzeug's
        # interactive debugger ourselves: a crash then shows its traceback,
        # with a Python console in every frame. The container image sets
        # WERKZEUG_DEBUG_PIN=off because nobody can read the PIN from the
        # container logs anyway.
        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)
        # Keep the tracebacks for staging, but shut the debugger's doors: no console page, and
        # no request that talks to the debugger gets through.
        app.wsgi_app = BlockDebuggerURLs(app.wsgi_app)

    return app
