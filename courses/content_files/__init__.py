"""Content as code: articles (``content/articles/<slug>.md``), quizzes (``content/quizzes/*.toml``)
and learning paths (``content/paths/*.toml``), one module per kind of file.

``load`` validates everything before writing anything and never overwrites admin edits unless
forced; ``export`` writes the same canonical form back, so export then load changes nothing.
Shared pieces: ``validation`` (TOML syntax, links, known slugs), ``sync`` (one row, with conflict
detection), ``writer`` (the one TOML writer) and ``report``.
"""

from __future__ import annotations

from courses.content_files.articles import ArticleFile, article_text, parse_article
from courses.content_files.loading import export, load
from courses.content_files.paths import path_text
from courses.content_files.quizzes import load_quizzes, quiz_text
from courses.content_files.report import ContentError, LoadReport
from courses.content_files.validation import article_anchors, known_slugs, parse_toml

__all__ = [
    "ArticleFile",
    "ContentError",
    "LoadReport",
    "article_anchors",
    "article_text",
    "export",
    "known_slugs",
    "load",
    "load_quizzes",
    "parse_article",
    "parse_toml",
    "path_text",
    "quiz_text",
]
