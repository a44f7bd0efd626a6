"""The shop's SQLite database: rebuilt and seeded each time the app starts."""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, current_app, g

SCHEMA = """
DROP TABLE IF EXISTS order_items;
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS coffees;
DROP TABLE IF EXISTS integrations;
CREATE TABLE coffees (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    origin TEXT NOT NULL,
    roast TEXT NOT NULL,
    price INTEGER NOT NULL,          -- pence per 250 g bag
    roasted_on TEXT NOT NULL,
    notes TEXT NOT NULL
);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    customer TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    placed_on TEXT NOT NULL,
    total INTEGER NOT NULL           -- pence
);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    coffee TEXT NOT NULL,
    grind TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
-- Keys for the services the back office talks to. Never shown on the shop.
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    api_key TEXT NOT NULL
);
"""

# (name, origin, roast, price in pence, roasted on, tasting notes)
COFFEES = [
    ("Harbour Blend", "Brazil & Colombia", "medium", 850, "2025-03-03", "Milk chocolate, hazelnut"),
    ("Lighthouse Espresso", "Brazil", "dark", 900, "2025-03-04", "Dark cocoa, molasses"),
    ("Yirgacheffe Kochere", "Ethiopia", "light", 1150, "2025-03-05", "Jasmine, bergamot, lemon"),
    ("Huila Las Flores", "Colombia", "medium", 1050, "2025-02-27", "Red apple, caramel"),
    ("Kiambu Peaberry", "Kenya", "light", 1250, "2025-03-01", "Blackcurrant, grapefruit"),
    ("Sumatra Wahana", "Indonesia", "dark", 980, "2025-02-25", "Cedar, dark chocolate, spice"),
    ("Santa Bárbara Decaf", "Honduras", "medium", 920, "2025-02-28", "Toffee, orange, soft"),
    ("Finca El Puente", "Honduras", "light", 1190, "2025-03-06", "Peach, honey, black tea"),
    ("Night Ferry", "Guatemala & Sumatra", "dark", 870, "2025-03-02", "Treacle, smoke, walnut"),
    ("Rwanda Huye Mountain", "Rwanda", "medium", 1120, "2025-02-26", "Cranberry, brown sugar"),
]

# (reference, customer, email, status, placed on, [(coffee, grind, quantity)])
ORDERS = [
    (
        "TW-1001",
        "Aoife Brennan",
        "aoife.brennan@example.ie",
        "delivered",
        "2025-02-20",
        [("Harbour Blend", "whole bean", 2)],
    ),
    (
        "TW-1002",
        "Tomás Ruiz",
        "tomas.ruiz@example.es",
        "shipped",
        "2025-03-01",
        [("Lighthouse Espresso", "espresso", 1), ("Night Ferry", "cafetière", 1)],
    ),
    (
        "TW-1003",
        "Niamh O'Brien",
        "niamh.o'brien@example.co.uk",
        "roasting",
        "2025-03-05",
        [("Yirgacheffe Kochere", "filter", 1)],
    ),
    (
        "TW-1004",
        "Kwame Mensah",
        "kwame@example.gh",
        "received",
        "2025-03-06",
        [("Kiambu Peaberry", "whole bean", 3), ("Harbour Blend", "filter", 1)],
    ),
    (
        "TW-1005",
        "Ingrid Solberg",
        "ingrid.solberg@example.no",
        "delivered",
        "2025-02-18",
        [("Santa Bárbara Decaf", "cafetière", 2)],
    ),
]

STATUSES = {
    "received": "Order received",
    "roasting": "Roasting this week",
    "shipped": "On its way",
    "delivered": "Delivered",
}


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


def get_db() -> sqlite3.Connection:
    """The connection for the current request, opened on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(error: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    connection = connect(app.config["DATABASE"])
    try:
        seed(connection)
    finally:
        connection.close()
    app.teardown_appcontext(close_db)


def seed(connection: sqlite3.Connection) -> None:
    connection.executescript(SCHEMA)
    prices = {name: price for name, _, _, price, _, _ in COFFEES}
    with connection:
        connection.executemany(
            "INSERT INTO coffees (name, origin, roast, price, roasted_on, notes)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            COFFEES,
        )
        for reference, customer, email, status, placed_on, items in ORDERS:
            total = sum(prices[coffee] * quantity for coffee, _, quantity in items)
            cursor = connection.execute(
                "INSERT INTO orders (reference, customer, email, status, placed_on, total)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (reference, customer, email, status, placed_on, total),
            )
            connection.executemany(
                "INSERT INTO order_items (order_id, coffee, grind, quantity) VALUES (?, ?, ?, ?)",
                [(cursor.lastrowid, *item) for item in items],
            )
        # The grader plants a fresh secret in LAB_FLAG each time the shop starts.
        connection.executemany(
            "INSERT INTO integrations (name, api_key) VALUES (?, ?)",
            [
                ("Green-bean importer", os.environ.get("LAB_FLAG", "FLAG{local-development}")),
                ("Courier labels", "courier-live-7c1e90d2-labels"),
            ],
        )
