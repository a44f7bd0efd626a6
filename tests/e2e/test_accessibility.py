"""axe-core finds no serious or critical accessibility problem on the shell pages, both themes."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.layout, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/learn/",
    "/labs/",
    "/missing-page/",
]
SIGNED_IN_PAGES = ["/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_pass_axe(live_server, page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_signed_in_pages_pass_axe(live_server, page, alice, password) -> None:
    sign_in(page, live_server.url, alice.email, password)
    for path in SIGNED_IN_PAGES:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path


def test_learning_and_lab_pages_pass_axe(
    live_server, page, alice, password, path_with_steps
) -> None:
    sign_in(page, live_server.url, alice.email, password)
    for path in ["/learn/", "/learn/starter-path/", "/articles/first-article/", "/me/progress/",
                 "/labs/", "/labs/flask-debug-console/", "/search/?q=article"]:  # fmt: skip
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(live_server.url + path)
            assert axe_violations(page) == [], (path, scheme)


def test_every_real_article_passes_axe(live_server, page, tmp_path) -> None:
    import shutil

    from django.conf import settings

    from courses import content_files

    # Articles link quizzes, so both are loaded (labs are resolved by slug from the database).
    for folder in ("articles", "quizzes"):
        shutil.copytree(settings.CONTENT_DIR / folder, tmp_path / folder)
    content_files.load(content_dir=tmp_path)
    slugs = sorted(p.stem for p in (tmp_path / "articles").glob("*.md"))
    assert len(slugs) >= 8
    for slug in slugs:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            response = page.goto(f"{live_server.url}/articles/{slug}/")
            assert response is not None and response.ok, slug
            assert axe_violations(page) == [], (slug, scheme)


def test_quiz_pages_pass_axe(live_server, page, alice, password) -> None:
    from courses.services import answer_submit, quiz_attempt_finish, quiz_attempt_start
    from tests.factories import make_quiz

    quiz = make_quiz()
    open_attempt = quiz_attempt_start(user=alice, quiz=quiz)
    answer_submit(attempt=open_attempt, question=quiz.questions.get(kind="spot_line"), line=3)
    sign_in(page, live_server.url, alice.email, password)
    pages = [quiz.get_absolute_url(), open_attempt.get_absolute_url()]
    for url in pages:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(live_server.url + url)
            assert axe_violations(page) == [], (url, scheme)
    quiz_attempt_finish(attempt=open_attempt)
    page.goto(live_server.url + f"/quizzes/{quiz.slug}/attempts/{open_attempt.pk}/result/")
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sign_up_errors_are_shown_and_tied_to_their_fields(live_server, browser, scheme) -> None:
    """A sign-up with a too short password: the error sits by its field, the field is marked
    invalid and described by it, and the page holds up under axe and at 375 px."""
    from tests.e2e.conftest import overflow, shot

    for width in (375, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, color_scheme=scheme, bypass_csp=True
        )
        page = context.new_page()
        page.goto(live_server.url + "/accounts/signup/")
        page.get_by_label("Email").fill(f"new-{width}-{scheme}@example.com")
        page.get_by_label("Password", exact=True).fill("short")
        page.get_by_label("Password (again)").fill("short")
        page.get_by_role("button", name="Create account").click()
        password = page.get_by_label("Password", exact=True)
        page.locator(".errorlist").first.wait_for()
        assert password.get_attribute("aria-invalid") == "true"
        error_ids = password.get_attribute("aria-describedby").split()
        said = " ".join(page.locator(f"#{i}").inner_text() for i in error_ids)
        assert "too short" in said
        assert page.get_by_label("Email").get_attribute("aria-invalid") is None
        shot(page, f"signup-errors-{width}-{scheme}.png")
        assert overflow(page) <= 0
        assert axe_violations(page) == []
        context.close()
