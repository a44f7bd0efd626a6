"""Standup: a small status board where a team posts how its work is going."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from werkzeug.debug import DebuggedApplication
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Request

from . import api, db, pages


class GuardDebugger:
    """WSGI middleware: the debugger stays for staging, but no outside request can reach it.

    The URL is parsed the way the debugger parses it (so no encoding slips past), every 500 is
    replaced by a plain page, and /console answers 404.
    """

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.path == "/console" or "__debugger__" in request.args:
            return NotFound()(environ, start_response)
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.wsgi_app(environ, remember))
        if seen["status"].startswith("500"):
            start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "text/html")])
            return [b"<h1>Something went wrong</h1>"]
        start_response(seen["status"], seen["headers"])
        return [body]


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
        app.wsgi_app = GuardDebugger(DebuggedApplication(app.wsgi_app, evalex=True))

    return app
