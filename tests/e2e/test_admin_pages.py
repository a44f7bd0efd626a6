"""The admin as erin the author and the site's administrator use it: each page type at 375 px
without sideways scroll, and axe-core finds no serious or critical problem in the light or the
dark scheme (Django's admin follows prefers-color-scheme).

Django's own markup leaves some fields without names (tabular inline cells, date-time boxes, the
autocomplete's select2 box); templates/admin/edit_inline/tabular.html and static/js/admin-site.js
name them, and static/css/admin-site.css underlines breadcrumb links. What is still Django's and
cannot be reached from our templates would go in ``EXCEPTIONS`` by rule id and selector, with the
reason; colour contrast is never excused. It is empty today.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.e2e.conftest import AXE, overflow, shot

pytestmark = [pytest.mark.e2e, pytest.mark.layout, pytest.mark.django_db(transaction=True)]

#: (axe rule id, CSS selector axe reports) pairs excused, each with the reason beside it.
EXCEPTIONS: set[tuple[str, str]] = set()


def admin_login(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the admin's own form and wait for its index."""
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def admin_violations(page) -> list[str]:
    """Serious or critical axe findings, one line per element, less the listed exceptions."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}) {node['target'][0]}: {node['html'][:120]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
        if (v["id"], node["target"][0]) not in EXCEPTIONS
    ]


def bad_zip() -> bytes:
    """A zip without a lab manifest: the upload page must say so in the form."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "not a lab")
    return buffer.getvalue()


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(
        email="admin@example.com", display_name="Admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def author_pages(flask_lab, path_with_steps) -> dict[str, str]:
    """Erin's pages: articles with the preview, quizzes with their questions inline, paths, labs."""
    from courses.models import Article
    from labs.models import LabVersion
    from tests.factories import make_quiz

    quiz = make_quiz()
    article = Article.objects.get(slug="first-article")
    version = LabVersion.objects.filter(lab=flask_lab).latest("number")
    # A report with a long unbroken detail, as a failing validation writes: it must wrap at 375.
    long_detail = "tests/test_security.py::" + "test_the_debugger_console_is_closed_" * 4
    version.validation_report = {
        "rules": [
            {"rule": "the solution passes every check", "ok": True, "detail": "9 passed"},
            {"rule": "the starter fails a security check", "ok": False, "detail": long_detail},
        ]
    }
    version.save(update_fields=["validation_report"])
    return {
        "index": "/admin/",
        "courses app": "/admin/courses/",
        "articles": "/admin/courses/article/",
        "article add": "/admin/courses/article/add/",
        "article change (preview)": f"/admin/courses/article/{article.pk}/change/",
        "quizzes": "/admin/courses/quiz/",
        "quiz add": "/admin/courses/quiz/add/",
        "quiz change (questions inline)": f"/admin/courses/quiz/{quiz.pk}/change/",
        "paths": "/admin/courses/learningpath/",
        "path add": "/admin/courses/learningpath/add/",
        "path change (steps inline)": f"/admin/courses/learningpath/{path_with_steps.pk}/change/",
        "labs app": "/admin/labs/",
        "labs": "/admin/labs/lab/",
        "lab change": f"/admin/labs/lab/{flask_lab.pk}/change/",
        "lab versions": "/admin/labs/labversion/",
        "lab version (validation)": f"/admin/labs/labversion/{version.pk}/change/",
        "lab upload": "/admin/labs/labversion/upload/",
        "submissions": "/admin/labs/submission/",
    }


@pytest.fixture
def admin_pages(alice, bob) -> dict[str, str]:
    """The administrator's pages beyond erin's: teams with members inline, invitations, users."""
    from tests.factories import make_team

    team = make_team(name="Blue team", managers=[bob], members=[alice])
    return {
        "index": "/admin/",
        "teams": "/admin/teams/team/",
        "team change (members inline)": f"/admin/teams/team/{team.pk}/change/",
        "team add": "/admin/teams/team/add/",
        "invitations": "/admin/teams/invitation/",
        "assignments": "/admin/teams/assignment/",
        "assignment add": "/admin/teams/assignment/add/",
        "users": "/admin/portal/user/",
        "user change": f"/admin/portal/user/{alice.pk}/change/",
    }


def _check_admin_pages(browser, base_url: str, pages: dict[str, str], who, password: str) -> None:
    """Each page at 375 px (overflow) and 1280 px (axe, light and dark), with screenshots."""
    failures: list[str] = []
    for width in (375, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, is_mobile=width < 400, bypass_csp=True
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        admin_login(page, base_url, who.email, password)
        try:
            for name, url in pages.items():
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    response = page.goto(base_url + url)
                    if response is None or response.status != 200 or page.url != base_url + url:
                        failures.append(f"{name} {url}: HTTP {response and response.status}")
                        break
                    page.wait_for_load_state("load")
                    slug = name.split(" (")[0].replace(" ", "-")
                    shot(page, f"admin-{who.display_name.lower()}-{slug}-{width}-{scheme}.png")
                    if scheme == "light" and (extra := overflow(page)) > 0:
                        failures.append(f"{name} {url}: {extra} px wider than {width} px")
                    if width == 1280:
                        failures += [f"{name} ({scheme}): {p}" for p in admin_violations(page)]
        finally:
            context.close()
    assert failures == [], "\n".join(failures)


def test_author_admin_pages(live_server, browser, author, password, author_pages) -> None:
    _check_admin_pages(browser, live_server.url, author_pages, author, password)


def test_administrator_admin_pages(live_server, browser, admin_user, password, admin_pages):
    _check_admin_pages(browser, live_server.url, admin_pages, admin_user, password)


def test_upload_error_page_is_clear_and_accessible(live_server, page, author, password) -> None:
    """A zip that is not a lab: the form says why, in place, and the page holds up under axe."""
    admin_login(page, live_server.url, author.email, password)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(live_server.url + "/admin/labs/labversion/upload/")
        page.set_input_files(
            "input[type=file]",
            files=[{"name": "notalab.zip", "mimeType": "application/zip", "buffer": bad_zip()}],
        )
        page.get_by_role("button", name="Upload").click()
        page.locator(".errorlist").wait_for()
        assert "no lab.toml" in page.locator(".errorlist").inner_text()
        shot(page, f"admin-upload-error-1280-{scheme}.png")
        assert admin_violations(page) == []


def test_inline_fields_have_names(live_server, page, author, password, path_with_steps) -> None:
    """Each cell of a tabular inline is named after its column and row, new rows included."""
    admin_login(page, live_server.url, author.email, password)
    page.goto(f"{live_server.url}/admin/courses/learningpath/{path_with_steps.pk}/change/")
    assert page.get_by_label("Position (path step 2)").input_value() == "2"
    assert page.get_by_label("Delete path step 1").is_visible()
    page.get_by_text("Add another Path step").click()
    new_kind = page.locator("#id_steps-4-kind")
    assert new_kind.evaluate("el => el.labels[0].textContent").startswith("Kind")
