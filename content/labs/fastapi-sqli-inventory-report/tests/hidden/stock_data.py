"""Shared data for the hidden checks: the stock the API starts with."""

from __future__ import annotations

# (sku, name, category, warehouse, stock, price in pence): the same rows as inventory/db.py.
PARTS = [
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
KEYS = ("sku", "name", "category", "warehouse", "stock", "price")


def as_json(part: tuple) -> dict:
    return dict(zip(KEYS, part, strict=True))


def report(group_by: str = "category", warehouse=None, categories=(), below=None) -> list[tuple]:
    """The stock report computed in Python: (group, parts, units, value) sorted by group."""
    index = KEYS.index(group_by)
    totals: dict[str, list[int]] = {}
    for part in PARTS:
        if warehouse is not None and part[3] != warehouse:
            continue
        if categories and part[2] not in categories:
            continue
        if below is not None and not part[4] < below:
            continue
        row = totals.setdefault(part[index], [0, 0, 0])
        row[0] += 1
        row[1] += part[4]
        row[2] += part[4] * part[5]
    return [(group, *numbers) for group, numbers in sorted(totals.items())]


def rows_of(response) -> list[tuple]:
    return [(r["group"], r["parts"], r["units"], r["value"]) for r in response.json()["rows"]]
