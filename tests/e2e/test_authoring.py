"""The article preview in the admin looks like the learner's page (the site's stylesheets, not the
admin's) under the real CSP; learners' article and quiz pages show OWASP 2025 tags and fit a phone.
Writing, previewing and publishing an article is journey 4 (test_journey_author.py).
"""

from __future__ import annotations

import pytest

from courses.models import Article
from courses.services import quiz_attempt_start
from tests.e2e.conftest import axe_violations, shot, sign_in
from tests.factories import make_article, make_quiz, make_quiz_attempt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


#: Computed styles that differ between the admin's CSS and the learner site's.
STYLE_PROBE = """el => {
  const s = getComputedStyle(el);
  return [s.fontFamily, s.fontSize, s.fontWeight, s.lineHeight, s.color].join(" | ");
}"""


def _admin_login(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


def test_preview_wears_the_learner_styles_under_the_real_csp(
    live_server, browser, author, password
) -> None:
    # No CSP bypass here: the frame must load, and be allowed to be framed, under the site's CSP.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    make_article("styled", body="## Heading here\n\nSome *prose* with `code`.\n")
    try:
        page.goto(live_server.url + "/articles/styled/")
        learner = {
            what: page.locator(f"article .markdown {what}").first.evaluate(STYLE_PROBE)
            for what in ("h2", "p", "code")
        }
        _admin_login(page, live_server.url, author.email, password)
        article = Article.objects.get(slug="styled")
        page.goto(f"{live_server.url}/admin/courses/article/{article.pk}/change/")
        frame = page.frame_locator(".markdown-preview iframe")
        frame.get_by_role("heading", name="Heading here").wait_for()
        in_preview = {
            what: frame.locator(f".markdown {what}").first.evaluate(STYLE_PROBE)
            for what in ("h2", "p", "code")
        }
        admin_h2 = page.locator("#content h1").first.evaluate(STYLE_PROBE)
        assert in_preview == learner
        assert in_preview["h2"] != admin_h2  # the admin's own styles did not leak in
        assert refused == []
        page.locator(".markdown-preview").scroll_into_view_if_needed()
        shot(page, "admin-preview-1280.png")
    finally:
        context.close()


def _tagged_content(alice) -> None:
    make_article(
        "owasp-tagged",
        title="Injection across three frameworks",
        owasp=["A05:2025", "A01:2025", "A03:2021", "A01:2021"],
        frameworks=["flask", "django"],
    )
    quiz = make_quiz(owasp=["A05:2025", "A07:2025", "A03:2021"])
    for score in (25, 75, 100):
        make_quiz_attempt(alice, quiz, score=score)
    quiz_attempt_start(user=alice, quiz=quiz)  # one still in progress


@pytest.mark.parametrize("width", [375, 1280])
def test_tags_show_and_pages_fit(live_server, browser, alice, password, width) -> None:
    _tagged_content(alice)
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server.url, alice.email, password)
        for url, name in (("/articles/owasp-tagged/", "article"), ("/quizzes/tiny-quiz/", "quiz")):
            page.emulate_media(color_scheme="light")
            page.goto(live_server.url + url)
            tags = page.get_by_role("list", name="OWASP Top 10 categories")
            assert tags.get_by_text("A05:2025 Injection").is_visible()
            older = tags.locator(".badge-owasp-older").first
            assert older.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"
            shot(page, f"{name}-{width}.png")
            if width == 1280:  # the new badges read well in both colour schemes
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    assert axe_violations(page) == [], (url, scheme)
                shot(page, f"{name}-{width}-dark.png")
        history = page.locator("#history-title").locator("xpath=..")
        box = history.bounding_box()
        table = history.locator("table").bounding_box()
        assert table["x"] + table["width"] <= box["x"] + box["width"] + 0.5, "table spills out"
        assert history.get_by_role("link", name="Continue").is_visible()
    finally:
        context.close()
