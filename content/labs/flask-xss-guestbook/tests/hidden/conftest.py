"""Helpers for the hidden checks: sign the guestbook, read pages the way a browser parses them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx
import pytest

MARK = "pwxss"
# Every tag the guestbook's own templates use. Anything else on a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "body", "header", "nav", "main", "a", "h1", "h2", "form",
    "p", "label", "input", "textarea", "button", "article", "span", "div", "strong", "em", "br",
    "q", "ul", "li",
}  # fmt: skip
# What formatting may produce inside a message, with the attributes each tag may carry.
MESSAGE_TAGS = {"strong": set(), "em": set(), "br": set(), "a": {"href", "rel"}}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
CONTROL = re.compile(r"[\x00-\x20]")


def unique(label: str = "") -> str:
    return f"{label}{uuid.uuid4().hex[:12]}"


@dataclass
class ShownEntry:
    id: int
    author: str = ""
    message: str = ""
    message_tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    author_tags: list[str] = field(default_factory=list)
    # Every start tag inside the entry's <article>, for checks that look at one entry only.
    all_tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)


class Page(HTMLParser):
    """Every start tag of a page, and for each entry the text and tags of its name and message."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.entries: dict[int, ShownEntry] = {}
        self._entry: ShownEntry | None = None
        self._part: str | None = None
        self._depth = 0
        self.feed(body)
        self.close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in {"br", "img", "input", "meta"})

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        self.tags.append((tag, attrs))
        found = dict(attrs)
        if self._entry is not None:
            self._entry.all_tags.append((tag, attrs))
        if tag == "article" and "data-entry-id" in found:
            entry_id = int(found["data-entry-id"] or 0)
            self._entry = self.entries.setdefault(entry_id, ShownEntry(entry_id))
            return
        if self._part is not None:
            if not void:
                self._depth += 1
            if self._part == "message":
                self._entry.message_tags.append((tag, found))
            else:
                self._entry.author_tags.append(tag)
            return
        if self._entry is not None and tag in {"div", "span"}:
            css = found.get("class")
            if (tag, css) in {("div", "message"), ("span", "author")}:
                self._part = "message" if css == "message" else "author"
                self._depth = 0

    def handle_endtag(self, tag: str) -> None:
        if self._part is not None:
            if self._depth == 0:
                self._part = None
            else:
                self._depth -= 1
        elif tag == "article":
            self._entry = None

    def handle_data(self, data: str) -> None:
        if self._part == "message":
            self._entry.message += data
        elif self._part == "author":
            self._entry.author += data


def dangerous_url(value: str) -> bool:
    cleaned = CONTROL.sub("", value).lower()
    return cleaned.startswith(("javascript:", "data:", "vbscript:"))


def assert_inert(body: str, where: str, only: int | None = None) -> Page:
    """No element, attribute or script URL on the page may come from what a visitor typed.

    With ``only``, just that entry is looked at: a page that lists many entries also shows those
    of other checks, and each check should fail for its own payloads only.
    """
    page = Page(body)
    tags = page.tags
    if only is not None:
        assert only in page.entries, f"{where}: entry {only} is missing"
        tags = page.entries[only].all_tags
    for tag, attrs in tags:
        assert tag in TEMPLATE_TAGS, f"{where}: a <{tag}> element was injected into the page"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: an {name}= handler was injected on <{tag}>"
            assert MARK not in name, f"{where}: an attribute was injected on <{tag}>: {name}"
            if name in URL_ATTRIBUTES and value:
                assert not dangerous_url(value), f"{where}: <{tag} {name}={value!r}> runs script"
            typed_value = tag == "input" and name == "value"
            link_address = tag == "a" and name == "href" and (value or "").startswith("http")
            if value and MARK in value and not (typed_value or link_address):
                raise AssertionError(f"{where}: typed text became <{tag} {name}={value!r}>")
    for entry in page.entries.values():
        if only is not None and entry.id != only:
            continue
        assert entry.author_tags == [], f"{where}: the name of entry {entry.id} holds markup"
        for tag, attrs in entry.message_tags:
            allowed = MESSAGE_TAGS.get(tag)
            assert allowed is not None, f"{where}: entry {entry.id} holds a <{tag}> element"
            assert set(attrs) <= allowed, f"{where}: <{tag}> in entry {entry.id} has {attrs}"
            if tag == "a":
                href = attrs.get("href") or ""
                assert href.startswith(("https://", "http://")), f"{where}: link to {href!r}"
    return page


def sign_form(client: httpx.Client, **fields: str) -> int:
    data = {"author": "Walker", "hometown": "", "message": "Hello"} | fields
    response = client.post("/sign", data=data, follow_redirects=False)
    assert response.status_code == 303, f"signing failed: {response.status_code}"
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


def sign_api(client: httpx.Client, **fields: str) -> int:
    data = {"author": "Walker", "hometown": "", "message": "Hello"} | fields
    response = client.post("/api/entries", json=data)
    assert response.status_code == 201, f"signing through the API failed: {response.status_code}"
    return int(response.json()["id"])


@pytest.fixture(params=["form", "api"])
def sign(request: pytest.FixtureRequest, app_client: httpx.Client):
    """Sign through the form or through the JSON API: both doors lead to the same pages."""
    door = sign_form if request.param == "form" else sign_api

    def signed(**fields: str) -> int:
        return door(app_client, **fields)

    return signed


def check_entry(client: httpx.Client, entry_id: int, search: str) -> None:
    """Every public page that shows one entry stays inert.

    The entry's own page and a search for a word only this entry holds are checked whole; the
    guestbook, which also lists other checks' entries, is checked for this entry only.
    """
    own = client.get(f"/entries/{entry_id}")
    assert own.status_code == 200
    assert entry_id in assert_inert(own.text, f"page of entry {entry_id}").entries
    found = client.get("/search", params={"q": search})
    assert found.status_code == 200
    assert_inert(found.text, f"search results with entry {entry_id}")
    board = client.get("/")
    assert board.status_code == 200
    assert_inert(board.text, f"guestbook with entry {entry_id}", only=entry_id)
