"""SQLite storage for status updates."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g

SCHEMA = """
CREATE TABLE IF NOT EXISTS updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

# A fresh board is seeded with a few updates so the dashboard is never empty.
SEED_UPDATES = [
    ("Amara", "on_track", "Billing export now runs nightly; first reports look right."),
    ("Jonas", "at_risk", "Search reindex is slower than planned, may slip to Thursday."),
    ("Priya", "blocked", "Waiting on the vendor for sandbox API keys."),
    ("Tomás", "on_track", "Onboarding emails reviewed by support, shipping tomorrow."),
    ("Mei", "on_track", "Dashboard charts moved to the new colour palette."),
]


def database_path(app: Flask) -> str:
    return os.path.join(app.instance_path, app.config["DATABASE"])


def connect(app: Flask) -> sqlite3.Connection:
    connection = sqlite3.connect(database_path(app))
    connection.row_factory = sqlite3.Row
    return connection


def get_db() -> sqlite3.Connection:
    """The connection for the current request, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app)
    return g.db


def close_db(error: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    """Create the schema (and the seed updates) if the database is new."""
    os.makedirs(app.instance_path, exist_ok=True)
    connection = connect(app)
    try:
        connection.executescript(SCHEMA)
        # Several server workers may start at once: let only one of them seed.
        connection.execute("BEGIN IMMEDIATE")
        (count,) = connection.execute("SELECT COUNT(*) FROM updates").fetchone()
        if count == 0:
            for author, status, summary in SEED_UPDATES:
                _insert(connection, author=author, status=status, summary=summary)
        connection.commit()
    finally:
        connection.close()
    app.teardown_appcontext(close_db)


def _insert(connection: sqlite3.Connection, *, author: str, status: str, summary: str) -> int:
    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    cursor = connection.execute(
        "INSERT INTO updates (author, status, summary, created_at) VALUES (?, ?, ?, ?)",
        (author, status, summary, created_at),
    )
    return int(cursor.lastrowid)


def update_create(*, author: str, status: str, summary: str) -> dict[str, Any]:
    """Store a new update and return it as stored."""
    connection = get_db()
    with connection:
        update_id = _insert(connection, author=author, status=status, summary=summary)
    row = connection.execute("SELECT * FROM updates WHERE id = ?", (update_id,)).fetchone()
    return dict(row)


def update_get(update_id: int) -> dict[str, Any] | None:
    row = get_db().execute("SELECT * FROM updates WHERE id = ?", (update_id,)).fetchone()
    return dict(row) if row is not None else None


def update_list(*, limit: int, offset: int = 0, status: str | None = None) -> list[dict[str, Any]]:
    """Updates newest first, optionally only those with one status."""
    query = "SELECT * FROM updates"
    params: list[Any] = []
    if status is not None:
        query += " WHERE status = ?"
        params.append(status)
    query += " ORDER BY id DESC LIMIT ? OFFSET ?"
    params += [limit, offset]
    return [dict(row) for row in get_db().execute(query, params)]


def update_count() -> int:
    (count,) = get_db().execute("SELECT COUNT(*) FROM updates").fetchone()
    return int(count)


def status_counts() -> dict[str, int]:
    rows = get_db().execute("SELECT status, COUNT(*) AS n FROM updates GROUP BY status")
    return {row["status"]: row["n"] for row in rows}
