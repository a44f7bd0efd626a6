"""A visitor filters the lab catalogue and compares one vulnerability across frameworks, in
Chromium, on a desktop and on a phone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from labs.models import Difficulty, LabSession
from tests.e2e.conftest import axe_violations, shot, sign_in
from tests.factories import make_lab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _labs() -> dict[str, object]:
    return {
        "flask": make_lab("flask-sqli", framework="flask", title="Flask note search"),
        "fastapi": make_lab("fastapi-sqli", framework="fastapi", title="FastAPI note search"),
        "django": make_lab(
            "django-sqli", framework="django", title="Django note search",
            difficulty=Difficulty.INTERMEDIATE,
        ),
        "xss": make_lab(
            "flask-xss", framework="flask", vulnerability_class="cross-site-scripting",
            title="Flask greeting page", cwe=["CWE-79"], difficulty=Difficulty.ADVANCED,
        ),
    }  # fmt: skip


def _no_horizontal_overflow(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_visitor_filters_the_catalogue_and_opens_a_comparison(live_server, page) -> None:
    _labs()
    page.goto(live_server.url + "/labs/")
    assert page.locator(".lab-card").count() == 4
    style = page.locator(".lab-grid").evaluate("el => getComputedStyle(el).listStyleType")
    assert style == "none"
    assert page.locator(".chips li").first.evaluate("el => getComputedStyle(el).display") != (
        "list-item"
    )
    shot(page, "catalogue-1280.png")

    page.get_by_label("Vulnerability").select_option("sql-injection")
    page.get_by_label("Search", exact=True).fill("note")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/labs/?*class=sql-injection*")
    assert page.locator(".result-count").inner_text() == "3 labs match these filters"
    assert "Flask greeting page" not in page.content()

    page.get_by_label("Search", exact=True).fill("nothing at all")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("heading", name="No lab matches these filters").wait_for()
    page.locator(".empty-state").get_by_role("link", name="Clear filters").click()
    assert page.locator(".lab-card").count() == 4

    page.locator(".lab-card", has_text="Flask note search").get_by_role(
        "link", name="Compare frameworks"
    ).click()
    page.get_by_role("heading", name="SQL injection, side by side").wait_for()
    columns = page.locator(".compare-col")
    assert columns.count() == 3
    tops = [columns.nth(i).bounding_box()["y"] for i in range(3)]
    assert max(tops) - min(tops) < 2  # three columns side by side on a desktop
    assert page.locator(".code-excerpt").count() == 3
    assert page.get_by_text("VULNERABLE-MARK").count() == 3
    assert page.locator(".locked-note").count() == 3
    assert "FIXED-MARK" not in page.content()
    shot(page, "compare-1280.png")
    assert axe_violations(page) == []


def test_learner_who_solved_a_lab_sees_its_fix_on_a_phone(
    live_server, phone_page, alice, password
) -> None:
    labs = _labs()
    LabSession.objects.create(
        user=alice,
        lab=labs["django"],
        version=labs["django"].published_version,
        solved_at=timezone.now(),
    )
    page = phone_page
    page.goto(live_server.url + "/labs/")
    _no_horizontal_overflow(page)
    shot(page, "catalogue-375.png")

    page.goto(live_server.url + "/labs/compare/sql-injection/")
    _no_horizontal_overflow(page)
    columns = page.locator(".compare-col")
    tops = [columns.nth(i).bounding_box()["y"] for i in range(3)]
    assert tops == sorted(tops) and tops[0] < tops[1] < tops[2]  # stacked
    assert page.locator(".locked-note").count() == 3
    shot(page, "compare-375-anonymous.png")

    sign_in(page, live_server.url, alice.email, password)
    page.goto(live_server.url + "/labs/compare/sql-injection/")
    assert page.locator(".locked-note").count() == 2
    django_column = page.locator(".compare-col", has_text="Django note search")
    assert django_column.get_by_text("FIXED-MARK").is_visible()
    _no_horizontal_overflow(page)
    shot(page, "compare-375-alice.png")
