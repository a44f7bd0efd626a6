"""Products and reviews, kept in memory: the shop restocks (and forgets) on every deploy."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_RECENT_SEARCHES = 50
MAX_SUGGESTIONS = 8


@dataclass
class Product:
    slug: str
    name: str
    price: str
    blurb: str


@dataclass
class Review:
    id: int
    product: str
    name: str
    rating: int
    title: str
    body: str
    website: str
    created_at: str
    reported: bool = False
    removed: bool = False

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["removed"]
        return data


@dataclass
class Store:
    products: dict[str, Product] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def review_create(self, *, product: str, **values: Any) -> Review:
        with self.lock:
            review = Review(
                id=len(self.reviews) + 1,
                product=product,
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                **values,
            )
            self.reviews.append(review)
            return review

    def review_get(self, review_id: int) -> Review | None:
        if 1 <= review_id <= len(self.reviews):
            return self.reviews[review_id - 1]
        return None

    def reviews_for(self, product: str) -> list[Review]:
        """A product's reviews, newest first."""
        return [
            review
            for review in reversed(self.reviews)
            if review.product == product and not review.removed
        ]

    def product_search(self, text: str) -> list[Product]:
        needle = text.casefold()
        return [
            product
            for product in self.products.values()
            if needle in product.name.casefold() or needle in product.blurb.casefold()
        ]

    def search_record(self, text: str) -> None:
        with self.lock:
            self.searches.insert(0, text)
            del self.searches[MAX_RECENT_SEARCHES:]

    def search_suggestions(self, prefix: str) -> list[str]:
        """Recent searches that start with ``prefix`` (two characters at least), newest first."""
        start = prefix.strip().casefold()
        if len(start) < 2:
            return []
        found: list[str] = []
        for text in self.searches:
            if text.casefold().startswith(start) and text not in found:
                found.append(text)
        return found[:MAX_SUGGESTIONS]


PRODUCTS = [
    ("gooseneck-kettle", "Gooseneck kettle", "64.00", "A slow, steady pour for pour-over coffee."),
    ("hand-grinder", "Hand grinder", "89.00", "Steel burrs, 40 clicks, fits in a backpack."),
    ("cold-brew-jar", "Cold brew jar", "29.50", "One litre, a steel filter and a tap."),
]

REVIEWS = [
    ("gooseneck-kettle", "Hana", 5, "Perfect pour", "The **thermometer** is spot on.", ""),
    ("gooseneck-kettle", "Dev", 4, "Lid rattles", "Pours well, but the lid rattles a bit.", ""),
    ("hand-grinder", "Ole & Mette", 5, "Worth it", "Grinds _fine_ enough for espresso <3", ""),
    ("cold-brew-jar", "Rui", 3, "Tap drips", "Good jar, the tap drips.", "https://rui.example/"),
]


def seeded_store() -> Store:
    store = Store()
    for slug, name, price, blurb in PRODUCTS:
        store.products[slug] = Product(slug, name, price, blurb)
    for product, name, rating, title, body, website in REVIEWS:
        store.review_create(
            product=product, name=name, rating=rating, title=title, body=body, website=website
        )
    return store
