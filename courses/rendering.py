"""Rendering of articles: Markdown with internal links resolved to the site's URLs."""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=64)
def render_article(body: str) -> Rendered:
    """Rendering is pure (links resolve by URL pattern alone) and costly (Pygments over thousands
    of words), and loading content renders each body to check anchors, then again to save it: the
    same body is rendered once per process."""
    return render_markdown_with_toc(body, site_url)
