"""The admin's article preview: learner styles in a frame, and what the sanitiser removed, said."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import Article
from portal.lib.markdown import render_markdown_with_toc, sanitizer_report

pytestmark = pytest.mark.django_db

NASTY = (
    "## Title\n\n<script>alert(1)</script>\n\n"
    '<p onclick="steal()" style="color:red">Hi <a href="javascript:alert(1)">me</a></p>\n'
)


def test_the_report_names_each_removal_and_why() -> None:
    removed = render_markdown_with_toc(NASTY).removed
    assert removed == (
        "<script> element removed: scripts are never allowed in articles",
        "onclick attribute removed: event handlers run script, which articles never may",
        "style attribute removed: the site's security policy blocks inline styles",
        "javascript: link removed: links may only use http, https or mailto, or point inside"
        " the site",
    )


def test_clean_markdown_reports_nothing() -> None:
    text = (
        "## A\n\n[site](/learn/) [web](https://x.org) [mail](mailto:a@b.c)\n\n"
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```html\n<script>shown as code</script>\n```\n"
        "\n!!! note\n    An admonition.\n\nInline `<b onclick=x>`.\n"
    )
    rendered = render_markdown_with_toc(text)
    assert rendered.removed == ()
    assert '<td align="right">2</td>' in rendered.html  # table alignment survives sanitising


def test_the_report_sees_through_obfuscated_schemes_and_counts_repeats() -> None:
    html = (
        '<a href="java&#9;script:x">a</a><a href=" JavaScript:y">b</a><a href="data:text/html,z">c'
        '</a><img src="x" onerror="y"><iframe src="/x"></iframe><!-- hidden -->'
    )
    assert sanitizer_report(html) == (
        "javascript: link removed: links may only use http, https or mailto, or point inside"
        " the site (2 times)",
        "data: link removed: links may only use http, https or mailto, or point inside the site",
        "<img> element removed: images are not allowed in articles yet",
        "<iframe> tag removed (any text inside is kept): embedded pages are not allowed in"
        " articles",
        "HTML comment removed: comments are not published",
    )


def test_preview_returns_the_report(client: Client, author, alice) -> None:
    url = reverse("courses:article-preview")
    client.force_login(alice)
    assert client.post(url, {"body": NASTY}).status_code == 403
    assert client.get(reverse("courses:article-preview-frame")).status_code == 403
    client.force_login(author)
    data = client.post(url, {"body": NASTY}).json()
    assert "<script" not in data["html"] and "onclick" not in data["html"]
    assert data["removed"][0] == "<script> element removed: scripts are never allowed in articles"
    assert client.post(url, {"body": "Fine."}).json()["removed"] == []


def test_preview_frame_carries_the_learner_stylesheets(client: Client, author) -> None:
    client.force_login(author)
    response = client.get(reverse("courses:article-preview-frame"))
    assert response.status_code == 200
    html = response.content.decode()
    for sheet in ("css/site.css", "css/learn.css", "css/pygments.css"):
        assert sheet.split("/")[1].split(".")[0] in html
    assert "data-preview-body" in html and "admin" not in html.lower()
    # The admin may frame it (same origin only); nobody else may.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_other_pages_still_refuse_framing(client: Client) -> None:
    response = client.get(reverse("courses:learn"))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_saving_an_article_warns_about_removed_content(client: Client, author) -> None:
    client.force_login(author)
    data = {
        "title": "Nasty", "slug": "nasty", "summary": "s", "body": NASTY, "frameworks": [],
        "cwe": "", "owasp": [], "status": "draft", "published_at_0": "", "published_at_1": "",
        "author": "",
    }  # fmt: skip
    response = client.post(reverse("admin:courses_article_add"), data, follow=True)
    assert Article.objects.filter(slug="nasty").exists()  # saved: the warning does not block
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "was saved, but the sanitiser removed" in warnings[0]
    assert "<script> element removed" in warnings[0] and "onclick attribute removed" in warnings[0]
    assert "onclick attribute removed" in response.content.decode()  # shown on the page


def test_saving_a_clean_article_gives_no_warning(client: Client, author) -> None:
    client.force_login(author)
    data = {
        "title": "Clean", "slug": "clean", "summary": "s", "body": "## Fine\n\nText.",
        "frameworks": [], "cwe": "", "owasp": [], "status": "draft", "published_at_0": "",
        "published_at_1": "", "author": "",
    }  # fmt: skip
    text = client.post(reverse("admin:courses_article_add"), data, follow=True).content.decode()
    assert "sanitiser removed" not in text


def test_load_content_prints_what_the_sanitiser_removed(tmp_path: Path) -> None:
    for folder in ("articles", "paths", "quizzes", "labs"):
        (tmp_path / folder).mkdir()
    (tmp_path / "articles" / "nasty.md").write_text(
        '+++\ntitle = "Nasty"\nslug = "nasty"\nsummary = "s"\nframeworks = ["flask"]\n'
        'cwe = []\nowasp = ["A05:2025"]\nstatus = "draft"\n+++\n\n' + NASTY
    )
    err = StringIO()
    call_command(
        "load_content", "--content-dir", str(tmp_path), "--no-validate", stdout=StringIO(),
        stderr=err,
    )  # fmt: skip
    assert "warning: article nasty: <script> element removed" in err.getvalue()
    assert "warning: article nasty: onclick attribute removed" in err.getvalue()
