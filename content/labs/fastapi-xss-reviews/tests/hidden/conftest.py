"""Helpers for the hidden checks: post reviews, read pages the way a browser parses them."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx
import pytest

MARK = "pwxss"
PRODUCT = "hand-grinder"
# Every tag the shop's own pages use. Anything else on a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "body", "header", "nav", "main", "a", "h1", "h2", "h3",
    "form", "p", "label", "input", "textarea", "button", "article", "span", "div", "strong",
    "em", "br", "q", "ul", "li", "script",
}  # fmt: skip
# What formatting may produce inside a review body.
BODY_TAGS = {"strong", "em", "br"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
CONTROL = re.compile(r"[\x00-\x20]")
VOID = {"br", "img", "input", "meta"}
PARTS = {("h3", "review-title"): "title", ("div", "review-body"): "body"}


def unique(label: str = "") -> str:
    return f"{label}{uuid.uuid4().hex[:12]}"


@dataclass
class ShownReview:
    id: int
    texts: dict[str, str] = field(default_factory=lambda: {"title": "", "body": "", "name": ""})
    tags: dict[str, list[str]] = field(
        default_factory=lambda: {"title": [], "body": [], "name": []}
    )
    website: str | None = None
    # Every start tag inside the review's <article>, for checks that look at one review only.
    all_tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)


class Page(HTMLParser):
    """Every start tag and script of a page; for each review, the text and tags of its parts."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self.reviews: dict[int, ShownReview] = {}
        self._review: ShownReview | None = None
        self._part: str | None = None
        self._depth = 0
        self._in_script = False
        self.feed(body)
        self.close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in VOID)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        self.tags.append((tag, attrs))
        found = dict(attrs)
        if self._review is not None:
            self._review.all_tags.append((tag, attrs))
        if tag == "script" and not void:
            self._in_script = True
            self.scripts.append("")
        if tag == "article" and "data-review-id" in found:
            review_id = int(found["data-review-id"] or 0)
            self._review = self.reviews.setdefault(review_id, ShownReview(review_id))
            return
        if self._part is not None:
            if not void:
                self._depth += 1
            self._review.tags[self._part].append(tag)
            return
        if self._review is None:
            return
        css = found.get("class")
        part = PARTS.get((tag, css)) or ("name" if css == "reviewer" else None)
        if part is not None:
            self._part, self._depth = part, 0
            if tag == "a":
                self._review.website = found.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if self._part is not None:
            if self._depth == 0:
                self._part = None
            else:
                self._depth -= 1
        elif tag == "article":
            self._review = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        if self._part is not None:
            self._review.texts[self._part] += data


def dangerous_url(value: str) -> bool:
    cleaned = CONTROL.sub("", value).lower()
    return cleaned.startswith(("javascript:", "data:", "vbscript:"))


def script_object(script: str, name: str) -> dict:
    """The JSON object a page's script assigns to ``const <name> = ...;``."""
    found = re.search(rf"const {name} = (.*?);\n", script, re.DOTALL)
    assert found, f"no {name} object in the script"
    return json.loads(found.group(1))


def assert_inert(
    body: str, where: str, scripts: tuple[str, ...] = (), only: int | None = None
) -> Page:
    """No element, attribute or script on the page may come from what a visitor typed.

    With ``only``, just that review (and the page's scripts) is looked at: a product page also
    shows the reviews of other checks, and each check should fail for its own payloads only.
    """
    page = Page(body)
    tags = page.tags
    if only is not None:
        assert only in page.reviews, f"{where}: review {only} is missing"
        tags = page.reviews[only].all_tags
    for tag, attrs in tags:
        assert tag in TEMPLATE_TAGS, f"{where}: a <{tag}> element was injected into the page"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: an {name}= handler was injected on <{tag}>"
            assert MARK not in name, f"{where}: an attribute was injected on <{tag}>: {name}"
            if name in URL_ATTRIBUTES and value:
                assert not dangerous_url(value), f"{where}: <{tag} {name}={value!r}> runs script"
            if tag == "script":
                raise AssertionError(f"{where}: a <script {name}> was injected")
    if only is None:
        assert len(page.scripts) == len(scripts), f"{where}: a <script> element was injected"
    assert len(page.scripts) >= len(scripts), f"{where}: a script of the page is missing"
    for script, name in zip(page.scripts, scripts, strict=False):
        # Each script must still be exactly one assignment of a JSON object, nothing more.
        assert script.strip().startswith(f"const {name} = "), f"{where}: the script was changed"
        data = script_object(script, name)
        assert isinstance(data, dict), f"{where}: {name} is not an object"
        rest = script[script.index(";\n") :]
        assert MARK not in rest, f"{where}: typed text runs as code after {name}"
    for review in page.reviews.values():
        if only is not None and review.id != only:
            continue
        for part in ("title", "name"):
            assert review.tags[part] == [], f"{where}: the {part} of review {review.id} has markup"
        extra = set(review.tags["body"]) - BODY_TAGS
        assert not extra, f"{where}: review {review.id} holds {extra}"
    return page


def review_fields(**fields: object) -> dict[str, object]:
    return {
        "name": "Kim",
        "rating": 4,
        "title": "Good",
        "body": "Works well",
        "website": "",
    } | fields


def post_form(client: httpx.Client, product: str = PRODUCT, **fields: object) -> int:
    data = {key: str(value) for key, value in review_fields(**fields).items()}
    response = client.post(f"/products/{product}/reviews", data=data, follow_redirects=False)
    assert response.status_code == 303, f"posting a review failed: {response.status_code}"
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


def post_api(client: httpx.Client, product: str = PRODUCT, **fields: object) -> int:
    response = client.post(f"/api/products/{product}/reviews", json=review_fields(**fields))
    assert response.status_code == 201, f"posting through the API failed: {response.status_code}"
    return int(response.json()["id"])


@pytest.fixture(params=["form", "api"])
def post(request: pytest.FixtureRequest, app_client: httpx.Client):
    """Post through the form or through the JSON API: both doors lead to the same pages."""
    door = post_form if request.param == "form" else post_api

    def posted(**fields: object) -> int:
        return door(app_client, **fields)

    return posted


def check_review(client: httpx.Client, review_id: int, product: str = PRODUCT) -> None:
    """The review's own page stays inert, and so does the review on its product page.

    The product page also lists other checks' reviews: there, only this review and the page's
    script (whose latest reviewer is this one) are looked at.
    """
    page = client.get(f"/reviews/{review_id}")
    assert page.status_code == 200
    shown = assert_inert(page.text, f"page of review {review_id}")
    assert review_id in shown.reviews, f"review {review_id} is missing from its page"
    listing = client.get(f"/products/{product}")
    assert listing.status_code == 200
    where = f"product page with review {review_id}"
    assert_inert(listing.text, where, ("reviewSummary",), only=review_id)
