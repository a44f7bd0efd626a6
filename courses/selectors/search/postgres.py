"""The search on PostgreSQL: a weighted ``tsvector`` built at query time, ranked with
``ts_rank``, passages picked by ``ts_headline``.

Nothing is stored (no column, no index, no migration): building the vectors costs a few hundred
milliseconds for the site's tens of articles. A stored, indexed vector is the step to take if the
catalogue grows to hundreds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import models
from django.db.models import F, Func, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Replace

from courses.models import Article, Question, Quiz, Status
from courses.selectors.search.results import (
    MAX_HITS_PER_KIND,
    ResultKind,
    SearchHit,
    result_tags,
)
from courses.selectors.search.text import (
    ANY_TAG,
    BLOCK_TAG,
    START_SEL,
    STOP_SEL,
    QueryTerms,
    headline_html,
    highlight,
    html_to_text,
    summary_passage,
)
from labs import selectors as lab_selectors

#: Text-search configuration: English stemming and stop words, as the content is.
SEARCH_CONFIG = "english"
#: Words in a passage PostgreSQL picks.
HEADLINE_WORDS = 35


def text_of(html: Any) -> Func:
    """Stored HTML as plain text, in SQL, the way ``html_to_text`` does it in Python."""
    spaced = Func(
        html, Value(BLOCK_TAG), Value(" "), Value("gi"), function="regexp_replace",
        output_field=models.TextField(),
    )  # fmt: skip
    return Func(
        spaced, Value(ANY_TAG), Value(""), Value("g"), function="regexp_replace",
        output_field=models.TextField(),
    )  # fmt: skip


def markdown_source(markdown: Any) -> Func:
    """Markdown with "<" encoded, for PostgreSQL's text search: its parser takes ``<script>`` in
    a code sample for a tag, leaves it out of the vector and drops it from headlines."""
    text = models.TextField()
    return Replace(markdown, Value("<", output_field=text), Value("&lt;", output_field=text))


def vector(a: Any, b: list[Any], c: Any) -> Any:
    """The weighted document: ``a`` the title (A), ``b`` headings or summary (B), ``c`` the text."""
    return (
        SearchVector(a, weight="A", config=SEARCH_CONFIG)
        + SearchVector(*b, weight="B", config=SEARCH_CONFIG)
        + SearchVector(c, weight="C", config=SEARCH_CONFIG)
    )


def postgres_hits(*, user: Any, query: str, terms: QueryTerms, signed_in: bool) -> list[SearchHit]:
    """Matches of each kind, best first, with ts_headline's passage: one query per kind."""
    search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)

    def ranked(queryset: models.QuerySet[Any], document: Any, text: Any) -> list[Any]:
        return list(
            queryset.annotate(document=document)
            .filter(document=search)
            .annotate(
                rank=SearchRank(F("document"), search),
                headline=SearchHeadline(
                    text,
                    search,
                    config=SEARCH_CONFIG,
                    start_sel=START_SEL,
                    stop_sel=STOP_SEL,
                    max_words=HEADLINE_WORDS,
                    min_words=HEADLINE_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "title")[:MAX_HITS_PER_KIND]
        )

    hits: list[SearchHit] = []

    # The passage is picked from the Markdown source too: stripping the tags of the HTML in SQL
    # cost more than picking the passage (the syntax is removed in Python, from the passage alone).
    article_text = markdown_source(F("body"))
    articles = Article.objects.visible_to(user).only(
        "slug", "title", "summary", "frameworks", "owasp", "status", "published_at"
    )
    # The vector reads the Markdown source: less than half the size of the stored HTML (whose
    # highlighted code is mostly tags), so the vector every row needs costs half as much.
    # PostgreSQL's parser skips the tags of the table of contents by itself.
    article_document = vector("title", ["summary", "toc_html"], article_text)
    for a in ranked(articles, article_document, article_text):
        hits.append(
            _pg_hit(
                ResultKind.ARTICLE, a, a.summary, a.frameworks, terms, not a.is_published,
                markdown=True,
            )
        )  # fmt: skip

    prompts = (
        Question.objects.filter(quiz=OuterRef("pk"))
        .order_by()
        .values("quiz")
        .annotate(text=StringAgg("prompt_html", delimiter=" "))
        .values("text")
    )
    prompts_html: Any = Value("")
    if signed_in:
        prompts_html = Coalesce(Subquery(prompts), Value(""), output_field=models.TextField())
    quiz_text = text_of(
        Concat(F("description_html"), Value(" "), prompts_html, output_field=models.TextField())
    )
    quiz_document = vector("title", ["description_html"], prompts_html)
    quizzes = Quiz.objects.visible_to(user).only(
        "slug", "title", "description_html", "frameworks", "owasp", "status"
    )
    for q in ranked(quizzes, quiz_document, quiz_text):
        description = html_to_text(q.description_html)
        draft = q.status != Status.PUBLISHED
        hits.append(_pg_hit(ResultKind.QUIZ, q, description, q.frameworks, terms, draft))

    brief_html: Any = F("brief_html") if signed_in else Value("")
    lab_text = text_of(brief_html) if signed_in else F("summary")
    lab_document = vector("title", ["summary"], brief_html)
    for lab in ranked(lab_selectors.lab_search_documents(), lab_document, lab_text):
        hits.append(_pg_hit(ResultKind.LAB, lab, lab.summary, [lab.framework], terms, False))
    return hits


def _pg_hit(
    kind: ResultKind,
    row: Any,
    summary: str,
    frameworks: list[str],
    terms: QueryTerms,
    is_draft: bool,
    *,
    markdown: bool = False,
) -> SearchHit:
    passage = headline_html(row.headline, markdown=markdown) or summary_passage(summary, terms)
    return SearchHit(
        kind=kind, url=row.get_absolute_url(), title=row.title,
        title_html=highlight(row.title, terms)[0], passage_html=passage, score=float(row.rank),
        is_draft=is_draft, **result_tags(frameworks, row.owasp),
    )  # fmt: skip
