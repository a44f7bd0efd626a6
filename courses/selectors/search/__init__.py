"""Site search: articles, quizzes and labs for one query, ranked, with the passage that matched.

On PostgreSQL the database does the work: a weighted ``tsvector`` built at query time (title A,
headings and summary B, text C; nothing is stored, so there is no index to migrate or keep in
sync), ``websearch_to_tsquery``, ``ts_rank`` and ``ts_headline``. Elsewhere (SQLite in development
and tests) a fallback does the same in Python over the rows the viewer may see: fine for a
catalogue of tens of items, which is what the site has.

One module per concept: ``results`` (what a search returns), ``text`` (folding, highlighting and
passages: every title and passage is HTML-escaped there, with only ``<mark>`` added, so templates
show ``title_html`` and ``passage_html`` as they are), ``postgres`` and ``fallback``.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from courses.selectors.search.fallback import fallback_hits
from courses.selectors.search.postgres import postgres_hits
from courses.selectors.search.results import (
    MAX_HITS_PER_KIND,
    MAX_QUERY_CHARS,
    ResultKind,
    SearchGroup,
    SearchHit,
    SearchResults,
)
from courses.selectors.search.text import (
    QueryTerms,
    headline_html,
    highlight,
    markdown_to_text,
)

__all__ = [
    "MAX_QUERY_CHARS",
    "QueryTerms",
    "ResultKind",
    "SearchGroup",
    "SearchHit",
    "SearchResults",
    "headline_html",
    "highlight",
    "markdown_to_text",
    "queries_per_search",
    "site_search",
    "uses_full_text_search",
]


def site_search(*, user: Any, query: str) -> SearchResults:
    """What the viewer may see that matches the query, grouped by kind, best match first.

    Drafts only for authors (``visible_to``), labs only when published. Quiz questions and lab
    briefs are searched for signed-in people only, as only they can open them. A fixed number of
    queries whatever the number of matches (see ``queries_per_search``).
    """
    query = " ".join(query.split())[:MAX_QUERY_CHARS]
    terms = QueryTerms.parse(query)
    if not terms.positive:
        return SearchResults(query=query, groups=[])
    signed_in = bool(getattr(user, "is_authenticated", False))
    if uses_full_text_search():
        hits = postgres_hits(user=user, query=query, terms=terms, signed_in=signed_in)
    else:
        hits = fallback_hits(user=user, terms=terms, signed_in=signed_in)
    groups = []
    for kind in ResultKind:
        found = sorted(
            (h for h in hits if h.kind == kind), key=lambda h: (-h.score, h.title.casefold())
        )
        if found:
            groups.append(SearchGroup(kind=kind, hits=found[:MAX_HITS_PER_KIND]))
    return SearchResults(query=query, groups=groups)


def uses_full_text_search() -> bool:
    """PostgreSQL's full-text search when the database is PostgreSQL."""
    return connection.vendor == "postgresql"


def queries_per_search(*, signed_in: bool) -> int:
    """Articles, quizzes and labs: one query each (PostgreSQL reads quiz questions in a
    subquery; the fallback needs a query of its own for them when they are searched)."""
    return 4 if signed_in and not uses_full_text_search() else 3
