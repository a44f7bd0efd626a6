"""Loading the whole content folder into the database, and exporting it back to files.

``load`` validates every file first and stops with ``file:line`` errors before writing anything;
it then creates, updates or leaves rows unchanged, and never overwrites a row edited in the admin
since the last load or export (a conflict, unless forced). ``export`` writes rows back to files in
the same canonical form, so that export followed by load changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from courses.content_files.articles import (
    ArticleFile,
    apply_article,
    article_fields,
    article_text,
    check_article,
    parse_article,
)
from courses.content_files.paths import (
    apply_path,
    check_path,
    path_fields,
    path_lab_refs,
    path_text,
)
from courses.content_files.quizzes import load_quizzes, quiz_text
from courses.content_files.report import ContentError, LoadReport
from courses.content_files.sync import sync_row
from courses.content_files.validation import known_slugs, parse_toml
from courses.models import Article, LearningPath, Quiz
from labs import selectors as lab_selectors


def load(*, content_dir: Path | None = None, force: bool = False) -> LoadReport:
    """Validate every article, quiz and path file, then sync them into the database."""
    content = Path(content_dir or settings.CONTENT_DIR)
    article_files: list[ArticleFile] = []
    problems: list[str] = []
    for path in sorted((content / "articles").glob("*.md")):
        try:
            article_files.append(parse_article(path))
        except ContentError as exc:
            problems.extend(exc.problems)
    known = known_slugs(article_files, content)
    for file in article_files:
        problems.extend(check_article(file, known))
    path_files: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted((content / "paths").glob("*.toml")):
        try:
            data = parse_toml(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(check_path(path, data, known))
        path_files.append((path, data))
    lab_refs = {slug for _, data in path_files for slug in path_lab_refs(data)}
    missing_labs = lab_refs - lab_selectors.lab_slugs()
    for slug in sorted(missing_labs):
        problems.append(
            f"{content / 'labs' / slug}: the lab is not loaded (its bundle must load first)"
        )
    if problems:
        raise ContentError(problems)
    report = LoadReport()
    with transaction.atomic():
        for file in article_files:
            fields = article_fields(file)
            sync_row(Article, fields["slug"], fields, force, report, apply_article)
        load_quizzes(content, article_files, force, report)
        for _, data in path_files:
            fields = path_fields(data)
            sync_row(LearningPath, fields["slug"], fields, force, report, apply_path)
    return report


def export(*, content_dir: Path | None = None) -> list[Path]:
    """Write every article, quiz and path to its file; record the sync so a load sees no change."""
    content = Path(content_dir or settings.CONTENT_DIR)
    written: list[Path] = []
    (content / "articles").mkdir(parents=True, exist_ok=True)
    (content / "paths").mkdir(parents=True, exist_ok=True)
    for article in Article.objects.all():
        target = content / "articles" / f"{article.slug}.md"
        target.write_text(article_text(article), encoding="utf-8")
        Article.objects.filter(pk=article.pk).update(synced_hash=article.content_hash())
        written.append(target)
    (content / "quizzes").mkdir(parents=True, exist_ok=True)
    for quiz in Quiz.objects.prefetch_related("questions__choices"):
        target = content / "quizzes" / f"{quiz.slug}.toml"
        target.write_text(quiz_text(quiz), encoding="utf-8")
        Quiz.objects.filter(pk=quiz.pk).update(synced_hash=quiz.content_hash())
        written.append(target)
    for path in LearningPath.objects.prefetch_related(
        "steps__article", "steps__lab", "steps__quiz"
    ):
        target = content / "paths" / f"{path.slug}.toml"
        target.write_text(path_text(path), encoding="utf-8")
        LearningPath.objects.filter(pk=path.pk).update(synced_hash=path.content_hash())
        written.append(target)
    return written
