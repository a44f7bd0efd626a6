"""The search where PostgreSQL is not (SQLite in development and tests): scored in Python.

It reads every row the viewer may see, once per search: fine for a catalogue of tens of items.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from courses.models import Article, Question, Quiz, Status
from courses.selectors.search.results import ResultKind, SearchHit, result_tags
from courses.selectors.search.text import (
    WORD,
    QueryTerms,
    best_passage,
    fold,
    highlight,
    html_to_text,
    summary_passage,
)
from labs import selectors as lab_selectors

#: Points per matching word in the title (A), headings and summary (B) and the text (C).
WEIGHT_A, WEIGHT_B, WEIGHT_C = 10.0, 4.0, 1.0
#: Matches in the text stop counting after this many per term, so a long article that repeats a
#: word does not outrank one with it in the title.
MAX_TEXT_HITS = 10


@dataclass
class _Document:
    kind: ResultKind
    url: str
    title: str
    summary: str
    b_text: str
    c_text: str
    tags: dict[str, Any]
    is_draft: bool = False


def _score(doc: _Document, terms: QueryTerms) -> float:
    """Weighted matches; 0 when a required word or phrase is missing or an excluded one is
    present."""
    fields = [
        (doc.title, WEIGHT_A),
        (f"{doc.summary} {doc.b_text}", WEIGHT_B),
        (doc.c_text, WEIGHT_C),
    ]
    counts = [Counter(term for _, _, term in terms.matches(text)) for text, _ in fields]
    score = 0.0
    for term in range(len(terms.positive)):
        hits = [c[term] for c in counts]
        if not any(hits):
            return 0.0
        hits[2] = min(hits[2], MAX_TEXT_HITS)
        score += sum(h * weight for h, (_, weight) in zip(hits, fields, strict=True))
    if terms.phrases:
        flat = [" ".join(WORD.findall(fold(text))) for text, _ in fields]
        if not all(any(phrase in text for text in flat) for phrase in terms.phrases):
            return 0.0
    excluded = terms.excluded
    if excluded is not None and any(excluded.search(fold(text)) for text, _ in fields):
        return 0.0
    return score


def fallback_hits(*, user: Any, terms: QueryTerms, signed_in: bool) -> list[SearchHit]:
    docs: list[_Document] = []
    articles = Article.objects.visible_to(user).only(
        "slug", "title", "summary", "toc_html", "body_html", "frameworks", "owasp", "status",
        "published_at",
    )  # fmt: skip
    for a in articles:
        docs.append(
            _Document(
                kind=ResultKind.ARTICLE, url=a.get_absolute_url(), title=a.title,
                summary=a.summary, b_text=html_to_text(a.toc_html),
                c_text=html_to_text(a.body_html), tags=result_tags(a.frameworks, a.owasp),
                is_draft=not a.is_published,
            )
        )  # fmt: skip
    quizzes = Quiz.objects.visible_to(user).only(
        "slug", "title", "description_html", "frameworks", "owasp", "status"
    )
    prompts: dict[int, list[str]] = {}
    questions = Question.objects.filter(quiz__in=quizzes) if signed_in else Question.objects.none()
    for quiz_id, prompt_html in questions.values_list("quiz_id", "prompt_html"):
        prompts.setdefault(quiz_id, []).append(html_to_text(prompt_html))
    for q in quizzes:
        description = html_to_text(q.description_html)
        docs.append(
            _Document(
                kind=ResultKind.QUIZ, url=q.get_absolute_url(), title=q.title,
                summary=description, b_text="", c_text=" ".join(prompts.get(q.pk, [])),
                tags=result_tags(q.frameworks, q.owasp), is_draft=q.status != Status.PUBLISHED,
            )
        )  # fmt: skip
    for lab in lab_selectors.lab_search_documents():
        docs.append(
            _Document(
                kind=ResultKind.LAB, url=lab.get_absolute_url(), title=lab.title,
                summary=lab.summary, b_text="",
                c_text=html_to_text(lab.brief_html or "") if signed_in else "",
                tags=result_tags([lab.framework], lab.owasp),
            )
        )  # fmt: skip
    hits = []
    for doc in docs:
        score = _score(doc, terms)
        if score <= 0:
            continue
        passage = best_passage(doc.c_text, terms) or summary_passage(doc.summary, terms)
        hits.append(
            SearchHit(
                kind=doc.kind, url=doc.url, title=doc.title,
                title_html=highlight(doc.title, terms)[0], passage_html=passage, score=score,
                is_draft=doc.is_draft, **doc.tags,
            )
        )  # fmt: skip
    return hits
