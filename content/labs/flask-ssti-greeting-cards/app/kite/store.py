"""Saved cards, kept in memory until the next deploy (a shared link only has to last a week)."""

from __future__ import annotations

import itertools
import threading

_cards: dict[int, dict[str, str]] = {}
_ids = itertools.count(1001)
_lock = threading.Lock()


def card_save(card: dict[str, str]) -> int:
    with _lock:
        card_id = next(_ids)
        _cards[card_id] = dict(card)
    return card_id


def card_get(card_id: int) -> dict[str, str] | None:
    card = _cards.get(card_id)
    return dict(card) if card is not None else None
