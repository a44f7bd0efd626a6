"""Checking and formatting expenses: shared by the pages and the JSON API."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

CATEGORIES = {
    "travel": "Travel",
    "meals": "Meals",
    "supplies": "Supplies",
    "software": "Software",
    "services": "Services",
}
TITLE_MAX = 100
NOTE_MAX = 1000
AMOUNT_MAX_PENCE = 10_000_000


def pounds(amount_pence: int) -> str:
    """1260 -> "12.60"."""
    return f"{amount_pence // 100}.{amount_pence % 100:02d}"


def _amount(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        return None
    pence = int(amount * 100)
    return pence if pence <= AMOUNT_MAX_PENCE else None


def validate_expense(data: dict[str, Any], *, partial: bool = False) -> tuple[dict, dict]:
    """Return (clean fields, errors). With ``partial``, only the fields present are checked."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    required = ("title", "amount", "category", "spent_on")
    for name in required:
        if not partial and name not in data:
            errors[name] = "This field is required."

    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip() or len(title) > TITLE_MAX:
            errors["title"] = f"Give a title of 1 to {TITLE_MAX} characters."
        else:
            cleaned["title"] = title.strip()
    if "amount" in data:
        pence = _amount(data["amount"])
        if pence is None:
            errors["amount"] = "Give an amount in pounds, such as 12.50."
        else:
            cleaned["amount_pence"] = pence
    if "category" in data:
        if data["category"] not in CATEGORIES:
            errors["category"] = "Choose one of: " + ", ".join(CATEGORIES) + "."
        else:
            cleaned["category"] = data["category"]
    if "spent_on" in data:
        try:
            spent_on = datetime.date.fromisoformat(data["spent_on"])
        except (TypeError, ValueError):
            errors["spent_on"] = "Give the date as YYYY-MM-DD."
        else:
            cleaned["spent_on"] = spent_on.isoformat()
    if "note" in data:
        note = data["note"]
        if not isinstance(note, str) or len(note) > NOTE_MAX:
            errors["note"] = f"The note can hold up to {NOTE_MAX} characters."
        else:
            cleaned["note"] = note.strip()
    return cleaned, errors


def as_json(expense: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": expense["id"],
        "title": expense["title"],
        "amount": pounds(expense["amount_pence"]),
        "category": expense["category"],
        "spent_on": expense["spent_on"],
        "note": expense["note"],
    }
