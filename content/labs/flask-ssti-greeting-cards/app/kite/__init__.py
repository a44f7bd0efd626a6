"""Paper Kite: design an e-card, preview it, and share it with a link."""

from __future__ import annotations

import os

from flask import Flask, render_template

from . import views


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("KITE_SECRET_KEY", "dev-only-change-me"),
        SHOP_NAME="Paper Kite",
        # The transactional mail service that delivers the cards.
        MAIL_API_URL="https://mail.example.net/v3/send",
        MAIL_API_KEY=os.environ.get("LAB_FLAG", "FLAG{local-development}"),
    )
    app.register_blueprint(views.bp)

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        return render_template("error.html"), 500

    return app
