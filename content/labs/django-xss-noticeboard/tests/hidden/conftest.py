"""Helpers for the hidden checks: put up notices, read pages the way a browser parses them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

import httpx
import pytest

MARK = "pwxss"
# Every tag Plotline's own pages use. Anything else on a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "body", "header", "nav", "main", "a", "h1", "h2", "h3",
    "form", "p", "b", "label", "input", "textarea", "button", "article", "div", "strong", "em",
    "br", "q", "ul", "li", "mark",
}  # fmt: skip
# What formatting may produce inside each part of a notice.
ALLOWED = {"title": set(), "name": set(), "body": {"strong", "em", "br"}, "result": {"mark"}}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}
CONTROL = re.compile(r"[\x00-\x20]")
VOID = {"br", "img", "input", "meta"}
PARTS = {
    ("h3", "notice-title"): "title",
    ("b", "author"): "name",
    ("div", "notice-body"): "body",
    ("li", "result"): "result",
}


def unique(label: str = "") -> str:
    return f"{label}{uuid.uuid4().hex[:12]}"


@dataclass
class ShownNotice:
    id: int
    texts: dict[str, str] = field(default_factory=lambda: dict.fromkeys(ALLOWED, ""))
    tags: dict[str, list[str]] = field(default_factory=lambda: {part: [] for part in ALLOWED})
    contact: str | None = None
    # Every start tag inside the notice's <article>, for checks that look at one notice only.
    all_tags: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)


class Page(HTMLParser):
    """Every start tag of a page; for each notice, the text and tags of its parts."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.notices: dict[int, ShownNotice] = {}
        self.results: dict[int, ShownNotice] = {}
        self._notice: ShownNotice | None = None
        self._part: str | None = None
        self._depth = 0
        self.feed(body)
        self.close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, void=tag in VOID)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], *, void: bool) -> None:
        self.tags.append((tag, attrs))
        found = dict(attrs)
        if self._notice is not None:
            self._notice.all_tags.append((tag, attrs))
        if tag == "article" and "data-notice-id" in found:
            notice_id = int(found["data-notice-id"] or 0)
            self._notice = self.notices.setdefault(notice_id, ShownNotice(notice_id))
            return
        if tag == "li" and found.get("class") == "result" and "data-notice-id" in found:
            notice_id = int(found["data-notice-id"] or 0)
            self._notice = self.results.setdefault(notice_id, ShownNotice(notice_id))
            self._part, self._depth = "result", 0
            return
        if self._part is not None:
            if not void:
                self._depth += 1
            if not (self._part == "result" and tag == "a"):
                self._notice.tags[self._part].append(tag)
            return
        if self._notice is None:
            return
        if tag == "a" and found.get("class") == "contact":
            self._notice.contact = found.get("href")
        part = PARTS.get((tag, found.get("class")))
        if part is not None:
            self._part, self._depth = part, 0

    def handle_endtag(self, tag: str) -> None:
        if self._part is not None:
            if self._depth == 0:
                if self._part == "result":
                    self._notice = None
                self._part = None
            else:
                self._depth -= 1
        elif tag == "article":
            self._notice = None

    def handle_data(self, data: str) -> None:
        if self._part is not None:
            self._notice.texts[self._part] += data


def dangerous_url(value: str) -> bool:
    cleaned = CONTROL.sub("", value).lower()
    return cleaned.startswith(("javascript:", "data:", "vbscript:"))


def assert_inert(body: str, where: str, only: int | None = None) -> Page:
    """No element, attribute or script URL on the page may come from what a visitor typed.

    With ``only``, just that notice is looked at: the board also shows other checks' notices,
    and each check should fail for its own payloads only.
    """
    page = Page(body)
    tags = page.tags
    if only is not None:
        assert only in page.notices, f"{where}: notice {only} is missing"
        tags = page.notices[only].all_tags
    for tag, attrs in tags:
        assert tag in TEMPLATE_TAGS, f"{where}: a <{tag}> element was injected into the page"
        for name, value in attrs:
            assert not name.startswith("on"), f"{where}: an {name}= handler was injected on <{tag}>"
            assert MARK not in name, f"{where}: an attribute was injected on <{tag}>: {name}"
            if name in URL_ATTRIBUTES and value:
                assert not dangerous_url(value), f"{where}: <{tag} {name}={value!r}> runs script"
    for notice in [*page.notices.values(), *page.results.values()]:
        if only is not None and notice.id != only:
            continue
        for part, allowed in ALLOWED.items():
            extra = set(notice.tags[part]) - allowed
            assert not extra, f"{where}: the {part} of notice {notice.id} holds {extra}"
    return page


def notice_fields(**fields: str) -> dict[str, str]:
    return {"author": "Kim", "title": "Notice", "body": "Hello", "contact": ""} | fields


def post_form(client: httpx.Client, **fields: str) -> int:
    response = client.post("/notices/new/", data=notice_fields(**fields), follow_redirects=False)
    assert response.status_code in (302, 303), f"posting failed: {response.status_code}"
    return int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])


def post_api(client: httpx.Client, **fields: str) -> int:
    response = client.post("/api/notices/", json=notice_fields(**fields))
    assert response.status_code == 201, f"posting through the API failed: {response.status_code}"
    return int(response.json()["id"])


@pytest.fixture(params=["form", "api"])
def post(request: pytest.FixtureRequest, app_client: httpx.Client):
    """Post through the form or through the JSON API: both doors lead to the same pages."""
    door = post_form if request.param == "form" else post_api

    def posted(**fields: str) -> int:
        return door(app_client, **fields)

    return posted


def check_notice(client: httpx.Client, notice_id: int, search: str) -> None:
    """The notice's own page, the board and a search that finds it all stay inert.

    The search is for a word only this notice holds, so its page is checked whole; the board also
    lists other checks' notices, so there only this notice is looked at.
    """
    own = client.get(f"/notices/{notice_id}/")
    assert own.status_code == 200
    assert notice_id in assert_inert(own.text, f"page of notice {notice_id}").notices
    found = client.get("/search/", params={"q": search})
    assert found.status_code == 200
    assert_inert(found.text, f"search results with notice {notice_id}")
    board = client.get("/")
    assert board.status_code == 200
    assert_inert(board.text, f"board with notice {notice_id}", only=notice_id)
