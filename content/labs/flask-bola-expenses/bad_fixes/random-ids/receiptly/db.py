"""SQLite storage for people and their expenses.

The database is a fresh file in a temporary folder, created and filled when the app starts: the
studio's demo server is rebuilt every night, so nothing here needs to survive a restart.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import tempfile
import uuid
from typing import Any

from flask import Flask, current_app, g
from werkzeug.security import generate_password_hash

SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE expenses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    amount_pence INTEGER NOT NULL,
    category TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
"""

EXPENSE_COLUMNS = "id, public_id, owner_id, title, amount_pence, category, spent_on, note"
# SQLite's integers stop here; a larger id in a URL cannot name a row.
ID_MAX = 2**63 - 1


def _seed_users() -> list[tuple[str, str, str]]:
    # Morgan runs the studio's finances; the demo accounts for Alex and Blake have known passwords.
    return [
        ("alex", "Alex Okafor", "receipts-alex-2026"),
        ("morgan", "Morgan Reyes", secrets.token_urlsafe(24)),
        ("blake", "Blake Sørensen", "receipts-blake-2026"),
    ]


def _seed_expenses() -> list[tuple[str, str, int, str, str, str]]:
    # Patchwise plants a fresh flag in LAB_FLAG every time it starts the app.
    flag = os.environ.get("LAB_FLAG") or "FLAG{local-development-flag}"
    # (owner, title, pence, category, date, note), interleaved as people filed them.
    return [
        (
            "alex",
            "Train to Leeds, client workshop",
            8450,
            "travel",
            "2026-10-02",
            "Off-peak return, booked the day before.",
        ),
        ("alex", "Sketchbooks and markers", 2399, "supplies", "2026-10-05", ""),
        (
            "morgan",
            "Studio card: Lisbon offsite deposit",
            120000,
            "travel",
            "2026-10-06",
            f"Paid with the studio card. Card PIN and online banking code: {flag}. Do not forward.",
        ),
        ("blake", "Coffee with the Hartley team", 1260, "meals", "2026-10-07", "Flat whites x3"),
        (
            "blake",
            "Font licence: Brightwell Sans",
            9900,
            "software",
            "2026-10-09",
            "Desktop licence for two seats.",
        ),
        (
            "morgan",
            "Payroll bureau, October",
            45000,
            "services",
            "2026-10-10",
            "Salary file sent on the 8th.",
        ),
        ("alex", "Taxi from the station", 1875, "travel", "2026-10-12", "Rain."),
    ]


def database_path(app: Flask) -> str:
    return app.config["DATABASE"]


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


def get_db() -> sqlite3.Connection:
    """The connection for the current request, opened on first use."""
    if "db" not in g:
        g.db = connect(database_path(current_app))
    return g.db


def close_db(error: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    """Create a new database file, seed it, and close connections after each request."""
    folder = tempfile.mkdtemp(prefix="receiptly-")
    app.config.setdefault("DATABASE", os.path.join(folder, "receiptly.sqlite3"))
    connection = connect(app.config["DATABASE"])
    try:
        connection.executescript(SCHEMA)
        users = {}
        for username, display_name, password in _seed_users():
            cursor = connection.execute(
                "INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)",
                (username, display_name, generate_password_hash(password)),
            )
            users[username] = cursor.lastrowid
        for owner, title, pence, category, spent_on, note in _seed_expenses():
            connection.execute(
                "INSERT INTO expenses (public_id, owner_id, title, amount_pence, category,"
                " spent_on, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(uuid.uuid4()), users[owner], title, pence, category, spent_on, note),
            )
        connection.commit()
    finally:
        connection.close()
    app.teardown_appcontext(close_db)


# Users


def user_by_username(username: str) -> dict[str, Any] | None:
    row = get_db().execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
    return dict(row) if row is not None else None


def user_get(user_id: int) -> dict[str, Any] | None:
    row = get_db().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return dict(row) if row is not None else None


# Expenses


def expense_list(*, owner_id: int) -> list[dict[str, Any]]:
    """One person's expenses, newest first."""
    rows = get_db().execute(
        f"SELECT {EXPENSE_COLUMNS} FROM expenses"  # noqa: S608 - a fixed column list
        " WHERE owner_id = ? ORDER BY spent_on DESC, id DESC",
        (owner_id,),
    )
    return [dict(row) for row in rows]


def expense_get(expense_id: int) -> dict[str, Any] | None:
    if not 0 < expense_id <= ID_MAX:
        return None
    query = f"SELECT {EXPENSE_COLUMNS} FROM expenses WHERE id = ?"  # noqa: S608 - fixed columns
    row = get_db().execute(query, (expense_id,)).fetchone()
    return dict(row) if row is not None else None


def expense_by_public_id(public_id: str) -> dict[str, Any] | None:
    """Expenses are addressed by a random UUID now: nobody can guess the next one."""
    query = f"SELECT {EXPENSE_COLUMNS} FROM expenses WHERE public_id = ?"  # noqa: S608 - fixed columns
    row = get_db().execute(query, (public_id,)).fetchone()
    return dict(row) if row is not None else None


def expense_create(*, owner_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    connection = get_db()
    with connection:
        cursor = connection.execute(
            "INSERT INTO expenses (public_id, owner_id, title, amount_pence, category, spent_on,"
            " note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                owner_id,
                fields["title"],
                fields["amount_pence"],
                fields["category"],
                fields["spent_on"],
                fields.get("note", ""),
            ),
        )
    created = expense_get(int(cursor.lastrowid))
    assert created is not None
    return created


def expense_update(*, expense_id: int, fields: dict[str, Any]) -> None:
    """Change the given fields of one expense (keys are checked by the caller's validation)."""
    if not fields:
        return
    # Column names come from validate_expense's fixed set, never from the request's keys.
    assignments = ", ".join(f"{name} = ?" for name in fields)
    connection = get_db()
    with connection:
        connection.execute(
            f"UPDATE expenses SET {assignments} WHERE id = ?",  # noqa: S608
            (*fields.values(), expense_id),
        )


def expense_delete(*, expense_id: int) -> None:
    connection = get_db()
    with connection:
        connection.execute("DELETE FROM expenses WHERE id = ?", (expense_id,))
