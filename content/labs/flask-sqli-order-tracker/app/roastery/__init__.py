"""Tidewater Roasters: the coffee list and order tracking for a small roastery's web shop."""

from __future__ import annotations

import os

from flask import Flask, render_template

from . import db, views


def create_app() -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TIDEWATER_SECRET_KEY", "dev-only-change-me"),
        DATABASE=os.path.join(app.instance_path, "tidewater.sqlite3"),
    )
    db.init_app(app)
    app.register_blueprint(views.bp)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return render_template("error.html"), 500

    return app
