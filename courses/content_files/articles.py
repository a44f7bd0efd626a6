"""Article files: ``content/articles/<slug>.md``, TOML front matter between ``+++`` lines, then
the Markdown body."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from courses.content_files.report import ContentError
from courses.content_files.validation import check_link, owasp_problem, toml_error_line
from courses.content_files.writer import toml_assign
from courses.models import FRAMEWORK_TAGS, Article, Status
from portal.lib.markdown import internal_links

FRONT = "+++"
ARTICLE_KEYS = ("title", "slug", "summary", "frameworks", "cwe", "owasp", "status", "published")


@dataclass
class ArticleFile:
    path: Path
    fields: dict[str, Any]
    body_line: int  # line number where the Markdown body starts


def parse_article(path: Path) -> ArticleFile:
    """Split front matter and body; raise ContentError naming the file and line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT:
        raise ContentError([f"{path}:1: an article starts with a '+++' front-matter line"])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
    except StopIteration:
        raise ContentError([f"{path}:1: the front matter is not closed with '+++'"]) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([f"{path}:{toml_error_line(exc) + 1}: front matter: {exc}"]) from None
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest).strip() + "\n"
    return ArticleFile(path, {**meta, "body": body}, body_line=end + 2 + blank)


def check_article(file: ArticleFile, known: dict[str, set[str]]) -> list[str]:
    """Every problem of one article file, each as ``path:line: message``."""
    problems: list[str] = []
    meta = file.fields
    where = f"{file.path}:1"
    for key in ("title", "slug", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(f"{where}: '{key}' is required and must be text")
    if meta.get("slug") and meta["slug"] != file.path.stem:
        problems.append(
            f"{where}: slug '{meta['slug']}' must equal the file name '{file.path.stem}'"
        )
    for key in ("frameworks", "cwe"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: '{key}' must be a list of strings")
    owasp = owasp_problem(meta.get("owasp", []))
    if owasp:
        problems.append(f"{where}: {owasp}")
    allowed = [value for value, _ in FRAMEWORK_TAGS]
    bad = [f for f in meta.get("frameworks", []) if f not in allowed]
    if bad:
        problems.append(f"{where}: unknown frameworks {bad} (use {', '.join(allowed)})")
    if meta.get("status", "draft") not in Status.values:
        problems.append(f"{where}: status must be 'published' or 'draft'")
    published = meta.get("published")
    if published is not None and not isinstance(published, dt.date):
        problems.append(f"{where}: 'published' must be a TOML date like 2026-11-20")
    for number, target in internal_links(meta["body"]):
        problem = check_link(target, known)
        if problem:
            problems.append(f"{file.path}:{file.body_line + number - 1}: {problem}")
    return problems


def article_fields(file: ArticleFile) -> dict[str, Any]:
    """The file's fields in the canonical form of ``Article.content_fields``."""
    meta = file.fields
    published = meta.get("published")
    return {
        "slug": meta["slug"],
        "title": meta["title"].strip(),
        "summary": meta["summary"].strip(),
        "frameworks": list(meta.get("frameworks", [])),
        "cwe": list(meta.get("cwe", [])),
        "owasp": list(meta.get("owasp", [])),
        "status": meta.get("status", Status.DRAFT),
        "published": published.isoformat() if isinstance(published, dt.date) else "",
        "body": meta["body"],
    }


def apply_article(article: Article, fields: dict[str, Any]) -> None:
    """Set the row from canonical fields (the caller saves it)."""
    for key in ("slug", "title", "summary", "frameworks", "cwe", "owasp", "status", "body"):
        setattr(article, key, fields[key])
    if fields["published"]:
        day = dt.date.fromisoformat(fields["published"])
        current = article.published_at
        if current is None or timezone.localdate(current) != day:
            article.published_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    elif fields["status"] == Status.DRAFT:
        article.published_at = None


def article_text(article: Article) -> str:
    """The article as its file: front matter, a blank line, the body."""
    fields = article.content_fields()
    lines = [FRONT]
    for key in ARTICLE_KEYS:
        value = fields[key]
        if key == "published":
            if value:
                lines.append(toml_assign(key, dt.date.fromisoformat(value)))
            continue
        lines.append(toml_assign(key, value))
    lines.append(FRONT)
    return "\n".join(lines) + "\n\n" + fields["body"]
