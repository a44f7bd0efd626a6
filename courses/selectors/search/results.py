"""What a search returns: hits grouped by kind, each with its passage already made safe."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.safestring import SafeString

from courses.models import FRAMEWORK_TAGS
from portal.lib.owasp import is_current, owasp_label

MAX_QUERY_CHARS = 200
MAX_HITS_PER_KIND = 25


class ResultKind(models.TextChoices):
    ARTICLE = "article", "Article"
    QUIZ = "quiz", "Quiz"
    LAB = "lab", "Lab"


GROUP_TITLES = {ResultKind.ARTICLE: "Articles", ResultKind.QUIZ: "Quizzes", ResultKind.LAB: "Labs"}


@dataclass(frozen=True)
class SearchHit:
    kind: ResultKind
    url: str
    title: str
    title_html: SafeString
    passage_html: SafeString
    frameworks: list[tuple[str, str]]  # (value, label)
    owasp: list[str]  # 2025 categories with their names
    owasp_older: list[str]  # earlier editions' ids
    score: float
    is_draft: bool = False


@dataclass(frozen=True)
class SearchGroup:
    kind: ResultKind
    hits: list[SearchHit]

    @property
    def title(self) -> str:
        return GROUP_TITLES[self.kind]


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[SearchGroup]  # only kinds with hits, articles first

    @property
    def count(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def result_tags(frameworks: Iterable[str], owasp: Iterable[str]) -> dict[str, Any]:
    """Framework badges and OWASP tags (2025 categories named, older ids as they are)."""
    labels = dict(FRAMEWORK_TAGS)
    codes = [str(o) for o in owasp or []]
    return {
        "frameworks": [(f, labels.get(f, f)) for f in frameworks or []],
        "owasp": [owasp_label(o) for o in codes if is_current(o)],
        "owasp_older": [o for o in codes if not is_current(o)],
    }
