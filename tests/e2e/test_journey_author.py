"""Journey 4 (issue 13): an author writes an article in the admin with the live preview, publishes
it and sees it on the site; then uploads a lab as a zip, has the worker validate it in the sandbox,
publishes it and finds it among the labs. Chromium, a live server and a real Celery worker; each
step is shot at 375 and 1280 px (see ``shots``).
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from courses.models import Article
from labs.models import Lab
from tests.e2e.conftest import shots, sign_in
from tests.factories import LABS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.worker,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]

BODY = (
    "## Heading here\n\nSome *prose* with `code`.\n\n<script>window.pwned = 1</script>\n\n"
    '<p onclick="window.pwned = 2">Click</p>\n\n```python\nx = 1\n```\n'
)
BUNDLE = LABS / "flask-debug-console"


def _zip_of(folder) -> bytes:
    """The folder zipped as an author's file manager would: one top-level folder, every file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _admin_login(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(
        page.get_by_role("link", name="Log out").or_(page.locator("#logout-form"))
    ).to_have_count(1)


def _admin_action(page, base: str, changelist: str, pk: int, action: str) -> None:
    """Select one row of a change list and run an action on it, as an author does."""
    page.goto(base + changelist)
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def _write_article(page, visitor, base: str, author) -> None:
    page.goto(base + "/admin/courses/article/add/")
    page.locator("#id_title").press_sequentially("Preview check")
    assert page.input_value("#id_slug") == "preview-check"  # prepopulated from the title
    page.fill("#id_summary", "Checks the live preview.")
    page.fill("#id_body", BODY)

    # The preview is the learner's page: headings, highlighted code, no script run, and a report
    # of what the sanitiser removed.
    preview = page.frame_locator(".markdown-preview iframe")
    preview.get_by_role("heading", name="Heading here").wait_for()
    assert preview.locator(".highlight").count() == 1
    expect(preview.get_by_role("heading", name="Preview check", level=1)).to_be_visible()
    assert page.evaluate("window.pwned === undefined")
    report = page.locator(".sanitizer-report")
    report.get_by_text("<script> element removed").wait_for()
    expect(report.get_by_text("onclick attribute removed")).to_be_visible()
    page.locator(".markdown-preview").scroll_into_view_if_needed()
    shots(page, "article-preview")
    page.get_by_role("button", name="Phone (375 px)").click()
    width = page.locator(".markdown-preview iframe").evaluate("el => el.clientWidth")
    assert 370 <= width <= 375  # the frame is the phone's width, its page laid out for it

    page.check("input[name=frameworks][value=flask]")
    page.check("input[name=owasp][value='A05:2025']")
    page.fill("#id_cwe", "CWE-79")
    page.click("input[name=_save]")
    page.locator(".messagelist .warning").get_by_text("sanitiser removed").wait_for()
    shots(page, "article-saved-as-draft")
    article = Article.objects.get(slug="preview-check")
    assert article.status == "draft" and article.author == author
    assert (article.frameworks, article.cwe, article.owasp) == (["flask"], ["CWE-79"], ["A05:2025"])

    # The author sees the draft, marked as one; a visitor does not find it until it is published.
    page.goto(base + article.get_absolute_url())
    expect(page.get_by_role("status").filter(has_text="only authors can see this")).to_be_visible()
    assert visitor.goto(base + article.get_absolute_url()).status == 404
    _admin_action(page, base, "/admin/courses/article/", article.pk, "publish")
    article.refresh_from_db()
    assert article.is_published
    assert visitor.goto(base + article.get_absolute_url()).status == 200
    expect(visitor.get_by_role("heading", name="Preview check", level=1)).to_be_visible()
    expect(visitor.get_by_role("heading", name="Heading here")).to_be_visible()
    expect(visitor.locator("article .markdown").get_by_text("Click")).to_be_visible()
    expect(visitor.get_by_text("only authors can see this")).to_have_count(0)
    assert visitor.evaluate("window.pwned === undefined")
    shots(visitor, "article-live")


def _publish_lab(page, visitor, base: str, learner, password: str) -> None:
    page.goto(base + "/admin/labs/labversion/")
    page.get_by_role("link", name="Upload a bundle").click()
    page.get_by_label("Bundle archive (.zip)").set_input_files(
        {"name": "lab.zip", "mimeType": "application/zip", "buffer": _zip_of(BUNDLE)}
    )
    shots(page, "lab-upload")
    page.get_by_role("button", name="Upload").click()
    expect(
        page.get_by_text(re.compile(r"Stored .+\. Validate it, then publish it\."))
    ).to_be_visible()
    status = page.locator("#validation-status")
    expect(status).to_contain_text("Not validated yet")
    lab = Lab.objects.get(slug=BUNDLE.name)
    version = lab.versions.get()
    assert lab.published_version is None
    shots(page, "lab-stored")

    # Not valid yet: publishing is refused, with the reason.
    _admin_action(page, base, "/admin/labs/labversion/", version.pk, "publish")
    expect(page.locator(".messagelist .error")).to_be_visible()
    lab.refresh_from_db()
    assert lab.published_version is None

    # Validation runs in the worker's sandbox; the version's page follows it live.
    _admin_action(page, base, "/admin/labs/labversion/", version.pk, "validate")
    expect(page.locator(".messagelist").get_by_text("queued for validation")).to_be_visible()
    page.goto(f"{base}/admin/labs/labversion/{version.pk}/change/")
    expect(status.locator("strong").first).to_have_text("Valid", timeout=240_000)
    rules = status.locator("tbody tr")
    assert rules.count() > 0
    assert status.get_by_text("FAILED", exact=True).count() == 0, status.inner_text()
    shots(page, "lab-valid")

    _admin_action(page, base, "/admin/labs/labversion/", version.pk, "publish")
    expect(page.get_by_text(re.compile(r"is now published\."))).to_be_visible()
    lab.refresh_from_db()
    assert lab.published_version_id == version.pk

    # Visitors find it among the labs; a learner opens it.
    visitor.goto(base + "/labs/")
    expect(visitor.get_by_role("link", name=lab.title)).to_be_visible()
    shots(visitor, "labs-catalogue")
    sign_in(visitor, base, learner.email, password)
    visitor.goto(base + "/labs/")
    visitor.get_by_role("link", name=lab.title).click()
    expect(visitor.get_by_role("heading", name=lab.title, level=1)).to_be_visible()
    expect(visitor.get_by_role("heading", name="Step 1: exploit it")).to_be_visible()
    shots(visitor, "lab-live")


def test_an_author_publishes_an_article_and_a_lab(
    live_server, browser, page, start_worker, author, alice, password
) -> None:
    start_worker()
    anonymous = browser.new_context(viewport={"width": 1280, "height": 900})
    visitor = anonymous.new_page()
    visitor.set_default_timeout(15_000)
    try:
        _admin_login(page, live_server.url, author.email, password)
        _write_article(page, visitor, live_server.url, author)
        _publish_lab(page, visitor, live_server.url, alice, password)
    finally:
        anonymous.close()
    assert page.js_errors == []
