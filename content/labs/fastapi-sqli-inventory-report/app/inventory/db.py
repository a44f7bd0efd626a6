"""The stock database (SQLite through SQLAlchemy), rebuilt and seeded each time the API starts."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
)

DATABASE = Path(__file__).resolve().parent.parent / "cogwheel.sqlite3"

metadata = MetaData()

PARTS = Table(
    "parts",
    metadata,
    Column("sku", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("category", String, nullable=False),
    Column("warehouse", String, nullable=False),
    Column("stock", Integer, nullable=False),
    Column("price", Integer, nullable=False),  # pence
)

# Tokens for the tills and the warehouse scanners. Never served by the API.
SERVICE_TOKENS = Table(
    "service_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String, nullable=False),
    Column("token", String, nullable=False),
)

# (sku, name, category, warehouse, stock, price in pence)
SEED_PARTS = [
    ("CH-1108", "Shimano HG601 11-speed chain", "chains", "leeds", 34, 2899),
    ("CH-0908", "KMC X9 9-speed chain", "chains", "bristol", 12, 1999),
    ("CH-1208", "SRAM GX Eagle 12-speed chain", "chains", "leeds", 4, 3499),
    ("BR-2201", "Shimano Deore disc brake set", "brakes", "leeds", 9, 8999),
    ("BR-1150", "Kool-Stop Salmon brake pads", "brakes", "bristol", 61, 1299),
    ("BR-3305", "Hydraulic hose kit 2 m", "brakes", "bristol", 3, 2450),
    ("TY-7002", "Schwalbe Marathon Plus 700x32c", "tyres", "leeds", 18, 4599),
    ("TY-2750", "Continental Grand Prix 5000 700x28c", "tyres", "bristol", 22, 5495),
    ("TY-2915", "Maxxis Minion DHF 29x2.5", "tyres", "leeds", 2, 6299),
    ("TY-0240", "Joe's No-Flats tyre sealant 240 ml", "tyres", "bristol", 40, 899),
    ("LT-0400", "Lezyne Micro Drive 400 front light", "lights", "bristol", 15, 3999),
    ("LT-0075", "Knog Blinder rear light", "lights", "leeds", 27, 2999),
    ("LT-1200", "Exposure Strada 1200 lumen light", "lights", "leeds", 1, 21500),
]

CATEGORIES = ["brakes", "chains", "lights", "tyres"]
WAREHOUSES = ["bristol", "leeds"]

engine: Engine = create_engine(f"sqlite:///{DATABASE}")


def rebuild() -> None:
    """Drop and recreate every table, then fill them: each start begins from the same stock."""
    metadata.drop_all(engine)
    metadata.create_all(engine)
    keys = ("sku", "name", "category", "warehouse", "stock", "price")
    with engine.begin() as connection:
        connection.execute(
            insert(PARTS), [dict(zip(keys, part, strict=True)) for part in SEED_PARTS]
        )
        # The grader plants a fresh secret in LAB_FLAG each time the API starts.
        connection.execute(
            insert(SERVICE_TOKENS),
            [
                {"owner": "warehouse-admin", "token": os.environ.get("LAB_FLAG", "FLAG{local}")},
                {"owner": "till-2", "token": "till-9f3b27c1e0d84a65"},
            ],
        )
