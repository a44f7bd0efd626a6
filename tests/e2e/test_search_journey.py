"""A visitor searches from the header box, reads the highlighted passages and opens a result, in
Chromium, on a desktop, on a phone and with JavaScript off."""

from __future__ import annotations

import pytest

from labs.models import LabVersion
from tests.e2e.conftest import axe_violations, shot
from tests.factories import make_article, make_lab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


BODY = """## Why string building fails

When request data becomes part of the statement's text, the attacker writes part of your query:
that is SQL injection, whatever the framework.

## Parameterised queries

Pass values separately, and a payload such as `' OR 1=1 --` stays data.
"""


def _content() -> None:
    make_article(
        "sql-injection-explained", title="SQL injection explained", body=BODY,
        frameworks=["flask", "django"], owasp=["A05:2025", "A03:2021"],
    )  # fmt: skip
    make_article("csrf-basics", title="CSRF basics", body="## Tokens\n\nNothing about SQL.\n")
    lab = make_lab("flask-notes-sqli", title="Flask note search", summary="Injection in a box.")
    LabVersion.objects.filter(lab=lab).update(brief_html="<p>Exploit the injection.</p>")


def _no_horizontal_overflow(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def _header_box(page):
    return page.locator("header").get_by_label("Search articles, quizzes and labs")


def test_visitor_searches_from_the_header_and_opens_a_result(live_server, page) -> None:
    _content()
    page.goto(live_server.url + "/labs/")
    _header_box(page).fill("injection")
    page.locator("header").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=injection")

    assert page.locator(".search-count").inner_text() == "2 results for “injection”"
    assert page.get_by_role("heading", name="Articles").is_visible()
    assert page.get_by_role("heading", name="Labs").is_visible()
    marks = page.locator(".search-passage mark")
    assert marks.count() >= 2
    assert {m.lower() for m in marks.all_inner_texts()} == {"injection"}
    background = marks.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the highlight is visible
    assert "A05:2025 Injection" in page.locator(".search-hit").first.inner_text()
    shot(page, "search-1280.png")
    assert axe_violations(page) == []

    page.get_by_role("link", name="SQL injection explained").click()
    page.wait_for_url("**/articles/sql-injection-explained/")
    assert page.get_by_role("heading", level=1).inner_text() == "SQL injection explained"


def test_searching_on_a_phone_fits_the_screen(live_server, phone_page) -> None:
    _content()
    page = phone_page
    page.goto(live_server.url + "/")
    _no_horizontal_overflow(page)
    box = _header_box(page)
    assert box.is_visible()
    width = box.bounding_box()["width"]
    assert width >= 80, f"the header search box is only {width}px wide"
    shot(page, "search-header-375.png")

    box.fill("parameterised queries")
    box.press("Enter")
    page.wait_for_url("**/search/?q=parameterised+queries")
    assert page.locator(".search-hit").count() == 1
    assert page.locator(".search-passage mark").count() >= 2
    _no_horizontal_overflow(page)
    shot(page, "search-375.png")

    page.goto(live_server.url + "/search/?q=" + "nothing-like-this")
    page.get_by_role("heading", name="Nothing matches “nothing-like-this”").wait_for()
    _no_horizontal_overflow(page)


def test_search_works_with_javascript_off(live_server, browser) -> None:
    _content()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        _header_box(page).fill("csrf")
        _header_box(page).press("Enter")
        page.wait_for_url("**/search/?q=csrf")
        assert page.locator(".search-hit h3 a").all_inner_texts() == ["CSRF basics"]
    finally:
        context.close()
