"""Site search: one box finds articles, quizzes and labs, ranked, with the matching passage marked.

These tests run on whichever database DATABASE_URL selects: PostgreSQL's full-text search there,
the Python fallback on SQLite. Behaviour both must share is tested without looking at which one
ran; the two tests at the end prove which one did.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Article, Question, Quiz, Status
from courses.selectors.search import (
    MAX_QUERY_CHARS,
    QueryTerms,
    ResultKind,
    headline_html,
    highlight,
    markdown_to_text,
    queries_per_search,
    site_search,
    uses_full_text_search,
)
from labs.models import LabVersion
from tests.factories import make_article, make_lab, make_quiz

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"
URL = "/search/"

SQLI_BODY = """## Why string building fails

When request data becomes part of the statement's text, the attacker writes part of your query.
This is the classic SQL injection, and every framework's database layer can still be misused.

## Parameterised queries

Pass values separately: `cursor.execute("SELECT * FROM t WHERE a = %s", [q])`. A payload such as
`<script>alert(1)</script>` or `' OR 1=1 --` is then only data.
"""

FILLER = "\n\n".join(
    f"## Section {i}\n\nPlain words about routing, templates and settings, paragraph {i}."
    for i in range(12)
)


def _slugs(results) -> list[str]:
    return [
        hit.url.rstrip("/").rsplit("/", 1)[-1] for group in results.groups for hit in group.hits
    ]


def _hits(results, kind: ResultKind) -> list:
    return [hit for group in results.groups if group.kind == kind for hit in group.hits]


@pytest.fixture
def catalogue() -> None:
    """Published articles, a quiz and labs; a draft article, a scheduled one and an unpublished
    lab that only authors (or nobody) may find."""
    make_article(
        "sql-injection-explained", title="SQL injection explained", body=SQLI_BODY,
        frameworks=["flask", "django"], owasp=["A05:2025", "A03:2021"], cwe=["CWE-89"],
    )  # fmt: skip
    make_article(
        "framework-tour", title="A tour of three frameworks",
        body=FILLER + "\n\nIn passing: an ORM does not stop every injection.\n",
        frameworks=["fastapi"],
    )  # fmt: skip
    make_article(
        "draft-injection-notes", title="Injection notes (draft)", status=Status.DRAFT,
        body="## Draft\n\nUnfinished injection notes.\n",
    )  # fmt: skip
    scheduled = make_article("scheduled-injection", title="Scheduled injection article")
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() + dt.timedelta(days=2)
    )
    quiz = make_quiz("injection-quiz", owasp=["A05:2025"])
    Quiz.objects.filter(pk=quiz.pk).update(title="Injection quiz")
    Question.objects.filter(quiz=quiz, position=2).update(
        prompt_html="<p>Which payloads reach the interpreter unescaped?</p>"
    )
    lab = make_lab(
        "flask-notes-sqli", title="Flask note search", summary="Find the injection in a search box."
    )
    LabVersion.objects.filter(lab=lab).update(
        brief_html="<p>The notes app builds its SQL with an f-string. Exploit it, then fix it.</p>"
    )
    make_lab("hidden-lab", title="Hidden injection lab", published=False)


# --- What a visitor finds ---------------------------------------------------------------------


@pytest.mark.usefixtures("catalogue")
def test_visitor_finds_articles_quizzes_and_labs_grouped_by_kind(client) -> None:
    response = client.get(URL, {"q": "injection"})
    assert response.status_code == 200
    results = response.context["results"]
    assert [g.kind for g in results.groups] == [ResultKind.ARTICLE, ResultKind.QUIZ, ResultKind.LAB]
    assert {h.title for h in _hits(results, ResultKind.ARTICLE)} == {
        "SQL injection explained",
        "A tour of three frameworks",
    }
    assert [h.title for h in _hits(results, ResultKind.QUIZ)] == ["Injection quiz"]
    assert [h.title for h in _hits(results, ResultKind.LAB)] == ["Flask note search"]
    html = response.content.decode()
    assert "4 results for “injection”" in html
    for label in ("Article", "Quiz", "Lab"):
        assert f'badge-kind-{label.lower()}">{label}</span>' in html
    assert 'href="/articles/sql-injection-explained/"' in html
    assert 'href="/labs/flask-notes-sqli/"' in html


@pytest.mark.usefixtures("catalogue")
def test_a_title_match_ranks_above_a_passing_mention_in_the_text() -> None:
    results = site_search(user=AnonymousUser(), query="injection")
    titles = [h.title for h in _hits(results, ResultKind.ARTICLE)]
    assert titles == ["SQL injection explained", "A tour of three frameworks"]


def test_a_heading_match_ranks_above_a_match_in_the_text_only() -> None:
    make_article(
        "in-heading", title="Alpha", summary="About alpha.",
        body="## Clickjacking defences\n\nFrame options and CSP frame-ancestors.\n",
    )  # fmt: skip
    make_article(
        "in-text", title="Beta", summary="About beta.",
        body="## Headers\n\nSome words, then clickjacking once, then more words.\n",
    )  # fmt: skip
    results = site_search(user=AnonymousUser(), query="clickjacking")
    assert _slugs(results) == ["in-heading", "in-text"]


@pytest.mark.usefixtures("catalogue")
def test_every_word_must_match_and_plural_finds_singular() -> None:
    assert _slugs(site_search(user=AnonymousUser(), query="parameterised queries")) == [
        "sql-injection-explained"
    ]
    assert "sql-injection-explained" in _slugs(
        site_search(user=AnonymousUser(), query="injections")
    )
    assert _slugs(site_search(user=AnonymousUser(), query="injection routing")) == [
        "framework-tour"
    ]


@pytest.mark.usefixtures("catalogue")
def test_phrases_and_excluded_words_work_as_on_a_web_search_engine() -> None:
    phrase = site_search(user=AnonymousUser(), query='"database layer"')
    assert _slugs(phrase) == ["sql-injection-explained"]
    excluded = _slugs(site_search(user=AnonymousUser(), query="injection -flask"))
    assert "flask-notes-sqli" not in excluded  # "Flask" is in the lab's title
    assert "sql-injection-explained" in excluded


@pytest.mark.usefixtures("catalogue")
def test_signed_in_learners_find_quizzes_by_their_questions(alice) -> None:
    results = site_search(user=alice, query="interpreter unescaped")
    assert [h.title for h in _hits(results, ResultKind.QUIZ)] == ["Injection quiz"]
    assert "<mark>interpreter</mark>" in _hits(results, ResultKind.QUIZ)[0].passage_html


@pytest.mark.usefixtures("catalogue")
def test_signed_in_learners_find_labs_by_their_brief(alice) -> None:
    results = site_search(user=alice, query="f-string exploit")
    hits = _hits(results, ResultKind.LAB)
    assert [h.title for h in hits] == ["Flask note search"]
    assert "<mark>Exploit</mark>" in hits[0].passage_html


@pytest.mark.usefixtures("catalogue")
def test_visitors_do_not_search_quiz_questions_or_lab_briefs() -> None:
    """Questions show once a quiz is started and briefs inside a lab: both need an account."""
    assert site_search(user=AnonymousUser(), query="interpreter unescaped").count == 0
    assert site_search(user=AnonymousUser(), query="f-string exploit").count == 0
    lab = _hits(site_search(user=AnonymousUser(), query="search box"), ResultKind.LAB)[0]
    assert "Find the injection in a <mark>search</mark> <mark>box</mark>" in lab.passage_html


# --- Drafts and permissions -------------------------------------------------------------------


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("viewer", ["anonymous", "alice"])
def test_learners_and_visitors_never_find_drafts_scheduled_or_unpublished_labs(
    viewer: str, request
) -> None:
    user = AnonymousUser() if viewer == "anonymous" else request.getfixturevalue(viewer)
    draft = make_quiz("draft-injection-quiz", status=Status.DRAFT)
    Quiz.objects.filter(pk=draft.pk).update(title="Draft injection quiz")
    titles = {h.title for g in site_search(user=user, query="injection").groups for h in g.hits}
    assert "Injection notes (draft)" not in titles
    assert "Scheduled injection article" not in titles
    assert "Draft injection quiz" not in titles
    assert "Hidden injection lab" not in titles
    assert "SQL injection explained" in titles


@pytest.mark.usefixtures("catalogue")
def test_authors_find_drafts_marked_as_drafts(author, client) -> None:
    client.force_login(author)
    response = client.get(URL, {"q": "injection"})
    titles = {h.title: h for g in response.context["results"].groups for h in g.hits}
    assert titles["Injection notes (draft)"].is_draft
    assert titles["Scheduled injection article"].is_draft
    assert not titles["SQL injection explained"].is_draft
    assert "Hidden injection lab" not in titles  # unpublished labs are for nobody
    assert '<span class="badge badge-warn">Draft</span>' in response.content.decode()


# --- Passages, highlighting and escaping ----------------------------------------------------


@pytest.mark.usefixtures("catalogue")
def test_the_matching_passage_is_shown_with_the_words_marked(client) -> None:
    response = client.get(URL, {"q": "parameterised"})
    hit = _hits(response.context["results"], ResultKind.ARTICLE)[0]
    assert "<mark>Parameterised</mark>" in hit.passage_html
    assert "<mark>" not in hit.title_html
    html = response.content.decode()
    assert "<mark>Parameterised</mark>" in html
    assert "A05:2025 Injection" in html  # the 2025 category with its name
    assert "A03:2021" in html  # the older id, secondary
    assert '<span class="badge badge-flask">Flask</span>' in html


@pytest.mark.usefixtures("catalogue")
def test_code_in_a_passage_is_escaped_not_rendered(client) -> None:
    response = client.get(URL, {"q": "payload"})
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "query",
    [
        '<script>alert("q")</script>',
        "' OR 1=1 --",
        "100% _under_ score",
        '"unbalanced quote',
        "--",
        "%",
        "_",
        "'",
        '"',
        "a & b | !c",
        "injection <!-- -->",
        "((()))",
        "-",
        "Ünïcödé Straße \u2028 \U0001f512",
    ],
)
@pytest.mark.usefixtures("catalogue")
def test_odd_input_never_errors_and_is_never_reflected_unescaped(client, query: str) -> None:
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<script>alert("q")' not in html
    assert "<!-- -->" not in html.split("<main", 1)[1]


def test_an_empty_query_explains_what_can_be_searched(client) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "What can I search?" in response.content.decode()
        assert response.context["results"] is None


def test_a_query_of_only_common_words_finds_nothing_without_error(client) -> None:
    make_article("the-article", title="The article")
    response = client.get(URL, {"q": "the and of"})
    assert response.status_code == 200
    assert "Nothing matches" in response.content.decode()


def test_a_very_long_query_gets_a_clear_form_error(client) -> None:
    response = client.get(URL, {"q": "x" * (MAX_QUERY_CHARS + 1)})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Keep your search to {MAX_QUERY_CHARS} characters or fewer" in html
    assert 'aria-invalid="true"' in html
    assert response.context["results"] is None


def test_a_nul_character_is_a_form_error_not_a_server_error(client) -> None:
    response = client.get(URL, {"q": "inject\x00ion"})
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()


@pytest.mark.usefixtures("catalogue")
def test_no_results_gives_a_helpful_message(client) -> None:
    response = client.get(URL, {"q": "kubernetes"})
    html = response.content.decode()
    assert "Nothing matches “kubernetes”" in html
    assert "try fewer or more general words" in html
    assert 'href="/learn/"' in html


def test_search_accepts_only_get(client) -> None:
    assert client.post(URL, {"q": "x"}).status_code == 405


def test_every_page_has_the_search_box_in_its_header(client) -> None:
    html = client.get("/").content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'role="search"' in header
    assert 'action="/search/"' in header
    assert '<label for="site-search-q" class="visually-hidden">' in header
    assert 'type="search" id="site-search-q" name="q"' in header
    assert reverse("courses:search") == URL


def test_highlight_escapes_everything_and_marks_only_matched_words() -> None:
    terms = QueryTerms.parse("script")
    html, count = highlight('<script>alert("x")</script> & scripts', terms)
    assert count == 3
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "<mark>scripts</mark>"
    )


def test_markdown_passages_lose_their_syntax_but_keep_their_words() -> None:
    source = (
        "See [the lab](lab:x), `eval()` and **never** `**kwargs`.\n## Fixing it\n```python\nx\n```"
    )
    assert markdown_to_text(source) == "See the lab, eval() and never **kwargs.\nFixing it\n \nx\n "
    html = headline_html("`<b>` in \u27e6**bold**\u27e7", markdown=True)
    assert html == "… &lt;b&gt; in <mark>bold</mark> …"


def test_a_database_headline_is_escaped_and_only_its_markers_become_marks() -> None:
    html = headline_html("a \u27e6b&lt;\u27e7 <i>x</i> \u27e6stray")
    assert html == "… a <mark>b&lt;</mark> &lt;i&gt;x&lt;/i&gt; stray …"
    assert headline_html("no match here") is None


# --- Cost, and which engine ran ----------------------------------------------------------------


def test_a_search_costs_the_same_queries_whatever_it_finds(alice) -> None:
    def search(user) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            results = site_search(user=user, query="nonce")
        return results.count, len(captured.captured_queries)

    make_article("one", title="Nonce one")
    make_quiz("quiz-one")
    make_lab("lab-one", title="Nonce lab")
    few, few_queries = search(AnonymousUser())
    assert (few, few_queries) == (2, queries_per_search(signed_in=False))
    alice_few, alice_queries = search(alice)
    assert alice_few == 2
    for i in range(12):
        make_article(f"more-{i}", title=f"Nonce article {i}")
        quiz = Quiz.objects.create(slug=f"quiz-{i}", title=f"Quiz {i}", status=Status.PUBLISHED)
        Question.objects.create(quiz=quiz, kind="true_false", prompt="A nonce is secret?", answer=0)
        make_lab(f"lab-more-{i}", title=f"Nonce lab {i}")
    assert search(AnonymousUser()) == (2 + 12 * 2, few_queries)  # questions: signed in only
    assert search(alice) == (2 + 12 * 3, alice_queries)


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's full-text search runs on PostgreSQL")
def test_on_postgresql_the_database_ranks_with_full_text_search() -> None:
    make_article("ranked", title="Clickjacking", body="## Frames\n\nClickjacking and frames.\n")
    assert uses_full_text_search()
    with CaptureQueriesContext(connection) as captured:
        results = site_search(user=AnonymousUser(), query="clickjacking")
    sql = captured.captured_queries[0]["sql"]
    assert "websearch_to_tsquery" in sql
    assert "ts_rank" in sql
    assert "ts_headline" in sql
    hit = results.groups[0].hits[0]
    assert 0 < hit.score <= 1  # ts_rank's scale, not the fallback's points


@pytest.mark.skipif(ON_POSTGRES, reason="the fallback runs where PostgreSQL is not")
def test_elsewhere_the_python_fallback_ranks_and_folds_accents() -> None:
    make_article(
        "accents", title="Sécurité des cookies", summary="En français.",
        body="## Résumé\n\nLes cookies de session méritent l'attention.\n",
    )  # fmt: skip
    assert not uses_full_text_search()
    with CaptureQueriesContext(connection) as captured:
        results = site_search(user=AnonymousUser(), query="securite resume")
    assert not any("tsquery" in q["sql"] for q in captured.captured_queries)
    hit = results.groups[0].hits[0]
    assert hit.title_html == "<mark>Sécurité</mark> des cookies"
    assert hit.score >= 10  # the fallback's points: a title match is worth 10
