"""Checks shared by every kind of content file: TOML syntax, internal links, what slugs exist.

Every problem is reported as ``path:line: message`` so an author can jump to it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from courses.content_files.report import ContentError
from courses.models import Article, Quiz
from courses.rendering import render_article
from labs import selectors as lab_selectors
from portal.lib.markdown import INTERNAL_LINK
from portal.lib.owasp import TOP_10_2025, is_current

if TYPE_CHECKING:
    from courses.content_files.articles import ArticleFile

_HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')
#: Ids of the previous edition, accepted as secondary tags after a 2025 id.
OWASP_2021 = frozenset(f"A{n:02d}:2021" for n in range(1, 11))


def toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    return getattr(error, "lineno", 0) or 1


def parse_toml(path: Path) -> dict[str, Any]:
    """A path or quiz file as data; a syntax error names the file and line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([f"{path}:{toml_error_line(exc)}: {exc}"]) from None
    return data


def check_link(target: str, known: dict[str, set[str]]) -> str | None:
    """Why an internal link (``article:slug``, ``lab:slug``, ``quiz:slug``) is broken, if it is."""
    match = INTERNAL_LINK.match(target)
    if not match:
        return f"malformed internal link '{target}'"
    kind, slug, _ = match.groups()
    if slug not in known[kind]:
        return f"broken link '{target}': no {kind} with slug '{slug}'"
    return None


def owasp_problem(value: Any) -> str | None:
    """What is wrong with an ``owasp`` list, if anything.

    Ids must be OWASP Top 10 2025 (``A05:2025``) or 2021 ids, and a 2025 id must come first:
    filters offer 2025 ids only, so an item tagged with 2021 ids alone could not be found.
    """
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "'owasp' must be a list of strings"
    unknown = [v for v in value if v not in TOP_10_2025 and v not in OWASP_2021]
    if unknown:
        return (
            f"unknown OWASP ids {unknown}: use OWASP Top 10 2025 ids "
            f"({', '.join(TOP_10_2025)}), optionally followed by 2021 ids such as A03:2021"
        )
    if value and not is_current(value[0]):
        return f"'owasp' must list an OWASP Top 10 2025 id first (got {value[0]})"
    return None


def line_of(lines: list[str], needle: str) -> int:
    """The first line quoting ``needle``, to point an error at it (1 when none does)."""
    for number, line in enumerate(lines, start=1):
        if f'"{needle}"' in line:
            return number
    return 1


def known_slugs(article_files: list[ArticleFile], content: Path) -> dict[str, set[str]]:
    """Targets internal links may point at: in the database or in the content folders."""
    lab_dirs = {Path(settings.CONTENT_DIR) / "labs", content / "labs"}
    return {
        "article": set(Article.objects.values_list("slug", flat=True))
        | {f.path.stem for f in article_files},
        "lab": lab_selectors.lab_slugs()
        | {p.name for d in lab_dirs for p in d.glob("*") if (p / "lab.toml").is_file()},
        "quiz": set(Quiz.objects.values_list("slug", flat=True))
        | {p.stem for p in (content / "quizzes").glob("*.toml")},
    }


def article_anchors(article_files: list[ArticleFile]) -> dict[str, set[str]]:
    """Heading ids of every article being loaded (and of those already stored)."""
    anchors = {a.slug: set(_HEADING_ID.findall(a.body_html)) for a in Article.objects.all()}
    for file in article_files:
        html = render_article(file.fields["body"]).html
        anchors[file.path.stem] = set(_HEADING_ID.findall(html))
    return anchors
