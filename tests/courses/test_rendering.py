"""The Markdown pipeline: rendered once on save, highlighted, linked, and safe whatever is in it."""

from __future__ import annotations

import pytest

from courses.models import Article
from portal.lib.markdown import internal_links, render_markdown
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<div onclick="alert(1)">x</div>',
    "<svg><script>alert(1)</script></svg>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<style>body{display:none}</style>",
    "![x](javascript:alert(1))",
    '<form action="https://evil.example"><input name=p></form>',
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_neutralised(source: str) -> None:
    html = render_markdown(f"Intro\n\n{source}\n\nOutro")
    lowered = html.lower()
    for forbidden in (
        "<script",
        "onerror",
        "onclick",
        "javascript:",
        "<iframe",
        "<style",
        "<form",
        "data:text",
    ):
        assert forbidden not in lowered, (source, html)
    assert "Outro" in html


def test_article_is_rendered_on_save_with_toc_and_highlighting() -> None:
    article = make_article(
        "rendered",
        body="## First part\n\nText.\n\n### Sub part\n\n```python\nprint('hi')\n```\n\n"
        '| a | b |\n|---|---|\n| 1 | 2 |\n\n!!! warning "Careful"\n    Be careful.\n',
    )
    assert '<h2 id="first-part">First part</h2>' in article.body_html
    assert 'href="#sub-part"' in article.toc_html
    assert (
        'class="highlight"' in article.body_html
        and '<span class="nb">print</span>' in article.body_html
    )
    assert "<table>" in article.body_html
    assert 'class="admonition warning"' in article.body_html
    assert "style=" not in article.body_html  # the CSP forbids inline styles
    assert article.reading_minutes == 1


def test_internal_links_resolve_to_pages(flask_lab) -> None:
    article = make_article(
        "links",
        body="See [the other](article:other-one#part) and [the lab](lab:flask-debug-console).",
    )
    assert 'href="/articles/other-one/#part"' in article.body_html
    assert 'href="/labs/flask-debug-console/"' in article.body_html


def test_internal_links_are_found_with_line_numbers() -> None:
    text = "Line one\n\nSee [a](article:alpha) and [b](lab:beta).\n[c](quiz:gamma)"
    assert internal_links(text) == [(3, "article:alpha"), (3, "lab:beta"), (4, "quiz:gamma")]


def test_reading_time_grows_with_length() -> None:
    article = make_article("long", body="word " * 2200)
    assert article.reading_minutes == 10


def test_drafts_are_hidden_from_learners(alice) -> None:
    make_article("public-one")
    make_article("secret-draft", status="draft")
    assert list(Article.objects.visible_to(alice).values_list("slug", flat=True)) == ["public-one"]
