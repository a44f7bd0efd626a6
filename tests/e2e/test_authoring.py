"""An author writes an article in the admin with the live preview, saves a draft, publishes it.

The preview must look like the learner's page (the site's stylesheets, not the admin's), and
must say what the sanitiser removed. Learners' article and quiz pages show OWASP 2025 tags and
fit a phone.
"""

from __future__ import annotations

import pytest

from courses.models import Article
from courses.services import quiz_attempt_start
from tests.e2e.conftest import axe_violations, shot, sign_in
from tests.factories import make_article, make_quiz, make_quiz_attempt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


BODY = (
    "## Heading here\n\nSome *prose* with `code`.\n\n<script>window.pwned = 1</script>\n\n"
    '<p onclick="window.pwned = 2">Click</p>\n\n```python\nx = 1\n```\n'
)

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


def test_author_previews_saves_and_publishes(live_server, page, author, password) -> None:
    _admin_login(page, live_server.url, author.email, password)
    page.goto(live_server.url + "/admin/courses/article/add/")

    page.locator("#id_title").press_sequentially("Preview check")
    assert page.input_value("#id_slug") == "preview-check"  # prepopulated from the title
    page.fill("#id_summary", "Checks the live preview.")
    page.fill("#id_body", BODY)
    preview = page.frame_locator(".markdown-preview iframe")
    preview.get_by_role("heading", name="Heading here").wait_for()
    assert preview.locator(".highlight").count() == 1
    assert preview.get_by_role("heading", name="Preview check", level=1).is_visible()
    assert page.evaluate("window.pwned === undefined")
    report = page.locator(".sanitizer-report")
    report.get_by_text("<script> element removed").wait_for()
    assert report.get_by_text("onclick attribute removed").is_visible()
    page.locator(".markdown-preview").scroll_into_view_if_needed()
    shot(page, "admin-preview-report-1280.png")
    page.get_by_role("button", name="Phone (375 px)").click()
    width = page.locator(".markdown-preview iframe").evaluate("el => el.clientWidth")
    assert 370 <= width <= 375  # the frame is the phone's width, its page laid out for it
    shot(page, "admin-preview-phone.png")
    page.check("input[name=frameworks][value=flask]")
    page.check("input[name=owasp][value='A05:2025']")
    page.fill("#id_cwe", "CWE-79")
    page.click("input[name=_save]")
    page.locator(".messagelist .warning").get_by_text("sanitiser removed").wait_for()

    article = Article.objects.get(slug="preview-check")
    assert article.status == "draft" and article.author == author
    assert (article.frameworks, article.cwe, article.owasp) == (["flask"], ["CWE-79"], ["A05:2025"])
    page.goto(live_server.url + "/admin/courses/article/")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    article.refresh_from_db()
    assert article.is_published
    page.goto(live_server.url + article.get_absolute_url())
    assert page.get_by_role("heading", name="Heading here").is_visible()


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
