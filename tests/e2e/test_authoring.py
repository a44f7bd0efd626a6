"""An author writes an article in the admin with the live preview, saves a draft, publishes it."""

from __future__ import annotations

import pytest

from courses.models import Article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_author_previews_saves_and_publishes(live_server, page, author, password) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", author.email)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/courses/article/add/")

    page.locator("#id_title").press_sequentially("Preview check")
    assert page.input_value("#id_slug") == "preview-check"  # prepopulated from the title
    page.fill("#id_summary", "Checks the live preview.")
    page.fill(
        "#id_body", "## Heading here\n\n<script>window.pwned = 1</script>\n\n```python\nx = 1\n```"
    )
    preview = page.locator(".markdown-preview")
    preview.get_by_role("heading", name="Heading here").wait_for()
    assert preview.locator(".highlight").count() == 1
    assert page.evaluate("window.pwned === undefined")
    page.click("input[name=_save]")

    article = Article.objects.get(slug="preview-check")
    assert article.status == "draft" and article.author == author
    page.goto(live_server.url + "/admin/courses/article/")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    article.refresh_from_db()
    assert article.is_published
    page.goto(live_server.url + article.get_absolute_url())
    assert page.get_by_role("heading", name="Heading here").is_visible()
