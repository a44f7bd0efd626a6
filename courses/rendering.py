"""Rendering of articles: Markdown with internal links resolved to the site's URLs."""

from __future__ import annotations

from django.urls import reverse

from portal.lib.markdown import Rendered, render_markdown_with_toc


def site_url(kind: str, slug: str) -> str | None:
    """The page of an internal link target; whether it exists is checked at validation time."""
    if kind == "article":
        return reverse("courses:article-detail", args=[slug])
    if kind == "lab":
        return reverse("labs:lab-detail", args=[slug])
    if kind == "quiz":
        return reverse("courses:quiz-detail", args=[slug])
    return None


def render_article(body: str) -> Rendered:
    return render_markdown_with_toc(body, site_url)
