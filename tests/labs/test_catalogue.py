"""The lab catalogue (filters, search, progress) and the compare pages (one class side by side).

Labs here are built from manifests the tests write, not from the pilot bundles, so that the
tests say exactly which ``[compare]`` data they show and do not wait on bundle authors.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.rendering import render_article
from labs.comparisons import compare_classes, compare_page, version_compare_build
from labs.models import Difficulty, Lab, LabSession
from labs.selectors import LabProgress, lab_catalogue, lab_catalogue_options
from labs.services import lab_version_publish
from portal.models import User
from tests.factories import make_lab


def session_on(user: User, lab: Lab, **marks: Any) -> LabSession:
    return LabSession.objects.create(user=user, lab=lab, version=lab.published_version, **marks)


def titles(cards: list) -> list[str]:
    return [card.lab.title for card in cards]


def test_publishing_copies_the_vulnerability_class_from_the_manifest(db) -> None:
    lab = make_lab("pub-lab", vulnerability_class="", published=False)
    version = lab.versions.get()
    version.manifest = {**version.manifest, "vulnerability_class": "open-redirect"}
    version.save()

    assert lab_version_publish(version=version).vulnerability_class == "open-redirect"


def test_publishing_leaves_an_unknown_or_missing_class_blank(db) -> None:
    lab = make_lab("old-lab", published=False)
    version = lab.versions.get()
    version.manifest = {k: v for k, v in version.manifest.items() if k != "vulnerability_class"}
    version.save()
    assert lab_version_publish(version=version).vulnerability_class == ""

    version.manifest = {**version.manifest, "vulnerability_class": "made-up"}
    version.save()
    assert lab_version_publish(version=version).vulnerability_class == ""


@pytest.fixture
def catalogue(db) -> dict[str, Lab]:
    return {
        "flask_sqli": make_lab("flask-sqli", title="Flask search", summary="Find every note."),
        "django_xss": make_lab(
            "django-xss", framework="django", vulnerability_class="cross-site-scripting",
            difficulty=Difficulty.ADVANCED, title="Django greeting", cwe=["CWE-79"],
            summary="A page that says hello.",
        ),
        "fastapi_idor": make_lab(
            "fastapi-idor", framework="fastapi", vulnerability_class="broken-access-control",
            difficulty=Difficulty.INTERMEDIATE, title="FastAPI invoices", cwe=["CWE-639"],
            owasp=["A01:2025", "A01:2021"],
        ),
        "draft": make_lab("draft-lab", title="Unpublished draft", published=False),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Flask search", "FastAPI invoices", "Django greeting"]),
        ({"framework": "django"}, ["Django greeting"]),
        ({"difficulty": "intermediate"}, ["FastAPI invoices"]),
        ({"vulnerability_class": "sql-injection"}, ["Flask search"]),
        ({"cwe": "CWE-639"}, ["FastAPI invoices"]),
        ({"owasp": "A05:2025"}, ["Flask search", "Django greeting"]),
        ({"owasp": "A01:2025", "framework": "flask"}, []),
        ({"q": "HELLO"}, ["Django greeting"]),  # the summary, any case
        ({"q": "invoices"}, ["FastAPI invoices"]),  # the title
    ],
)
def test_catalogue_filters_published_labs_easiest_first(
    catalogue: dict[str, Lab], filters: dict[str, str], expected: list[str]
) -> None:
    assert titles(lab_catalogue(user=AnonymousUser(), **filters)) == expected


def test_filter_options_offer_only_values_present_among_published_labs(catalogue) -> None:
    options = lab_catalogue_options()

    assert [v for v, _ in options.frameworks] == ["flask", "fastapi", "django"]
    assert [v for v, _ in options.difficulties] == ["beginner", "intermediate", "advanced"]
    assert options.classes == [
        ("broken-access-control", "Broken access control"),
        ("cross-site-scripting", "Cross-site scripting"),
        ("sql-injection", "SQL injection"),
    ]
    assert [v for v, _ in options.cwes] == ["CWE-79", "CWE-89", "CWE-639"]
    # 2021 ids stay out of the filter; 2025 ones carry their names.
    assert options.owasp == [
        ("A01:2025", "A01:2025 Broken Access Control"),
        ("A05:2025", "A05:2025 Injection"),
    ]


def test_catalogue_page_filters_with_a_plain_get_form(client: Client, catalogue) -> None:
    html = client.get(reverse("labs:lab-list"), {"framework": "django", "q": "greet"}).content
    html = html.decode()

    assert '<form method="get"' in html
    assert "Django greeting" in html
    assert "Flask search" not in html
    assert "1 lab matches these filters" in html
    assert '<option value="django" selected>' in html
    assert 'value="greet"' in html
    assert "Clear filters" in html


def test_catalogue_cards_show_chips_minutes_and_compare_link(client: Client, catalogue) -> None:
    html = client.get(reverse("labs:lab-list")).content.decode()

    assert '<li class="chip chip-class">SQL injection</li>' in html
    assert '<li class="chip">CWE-89</li>' in html
    assert "A05:2025 Injection</li>" in html
    assert 'chip-secondary" title="OWASP Top 10, earlier edition">A03:2021</li>' in html
    assert "About 15 min" in html
    assert reverse("labs:compare-detail", args=["sql-injection"]) in html
    assert "Unpublished draft" not in html
    assert "3 labs</p>" in html


def test_invalid_filter_values_are_ignored_with_a_message(client: Client, catalogue) -> None:
    response = client.get(
        reverse("labs:lab-list"), {"difficulty": "<script>", "cwe": "CWE-1", "framework": "flask"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<script>" not in html
    assert "Ignored an unknown difficulty, CWE" in html
    assert "Flask search" in html  # the valid filter still applies
    assert "Django greeting" not in html


def test_a_filter_for_an_absent_value_is_ignored(client: Client, catalogue) -> None:
    """OWASP 2021 ids are not offered, so asking for one is reported instead of matching."""
    html = client.get(reverse("labs:lab-list"), {"owasp": "A03:2021"}).content.decode()
    assert "Ignored an unknown OWASP category" in html
    assert "3 labs" in html


def test_no_match_shows_an_empty_state_that_clears_filters(client: Client, catalogue) -> None:
    html = client.get(reverse("labs:lab-list"), {"q": "nothing like this"}).content.decode()

    assert "No lab matches these filters" in html
    assert f'<a class="button" href="{reverse("labs:lab-list")}">Clear filters</a>' in html


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        (None, LabProgress.NOT_STARTED),
        ({}, LabProgress.STARTED),
        ({"exploit_done_at": True}, LabProgress.EXPLOITED),
        ({"exploit_done_at": True, "revealed_at": True}, LabProgress.SOLUTION_SHOWN),
        ({"exploit_done_at": True, "solved_at": True}, LabProgress.SOLVED),
        ({"revealed_at": True, "solved_at": True}, LabProgress.SOLVED),
    ],
)
def test_progress_is_derived_from_the_session(
    alice: User, catalogue, marks: dict[str, bool] | None, expected: LabProgress
) -> None:
    lab = catalogue["flask_sqli"]
    if marks is not None:
        session_on(alice, lab, **{name: timezone.now() for name in marks})

    cards = lab_catalogue(user=alice, framework="flask")
    assert cards[0].progress == expected


def test_each_learner_sees_only_their_own_progress(
    alice: User, bob: User, charlie: User, catalogue
) -> None:
    session_on(alice, catalogue["flask_sqli"], solved_at=timezone.now())
    session_on(bob, catalogue["django_xss"], revealed_at=timezone.now())

    def badges(user: User) -> str:
        client = Client()
        client.force_login(user)
        return client.get(reverse("labs:lab-list")).content.decode()

    alice_html, bob_html, charlie_html = badges(alice), badges(bob), badges(charlie)
    assert "badge-solved" in alice_html and "badge-solution-shown" not in alice_html
    assert "badge-solution-shown" in bob_html and "badge-solved" not in bob_html
    assert "badge-progress" not in charlie_html
    assert "badge-progress" not in Client().get(reverse("labs:lab-list")).content.decode()


def test_catalogue_query_count_does_not_grow_with_the_labs(
    alice_client: Client, alice: User, django_assert_max_num_queries
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(reverse("labs:lab-list")).status_code == 200
        return len(queries)

    make_lab("first", cwe=["CWE-89"])
    few = count()
    for i in range(12):
        lab = make_lab(f"lab-{i}", framework=["flask", "django", "fastapi"][i % 3])
        session_on(alice, lab, solved_at=timezone.now() if i % 2 else None)
    assert count() == few
    with django_assert_max_num_queries(few):
        alice_client.get(reverse("labs:lab-list"), {"cwe": "CWE-89", "q": "lab"})


@pytest.fixture
def sqli_labs(db) -> dict[str, Lab]:
    return {
        "flask": make_lab("flask-sqli", framework="flask", title="Flask search"),
        "django": make_lab("django-sqli", framework="django", title="Django search"),
        "django_more": make_lab(
            "django-sqli-2", framework="django", title="Django report",
            difficulty=Difficulty.ADVANCED,
        ),
    }  # fmt: skip


def test_excerpts_keep_the_file_line_numbers_and_are_highlighted(sqli_labs) -> None:
    data = version_compare_build(sqli_labs["flask"].published_version)

    (excerpt,) = data.vulnerable
    assert (excerpt.path, excerpt.first, excerpt.last) == ("app.py", 8, 12)
    assert [line.number for line in excerpt.lines] == [8, 9, 10, 11, 12]
    assert "VULNERABLE-MARK" in excerpt.lines[3].html
    assert 'class="k"' in excerpt.lines[1].html  # "def" is a keyword: Pygments classes
    (fixed,) = data.fixed
    assert [line.number for line in fixed.lines] == [10, 11, 12]
    assert "FIXED-MARK" in fixed.lines[1].html
    assert "<strong>no</strong>" in data.defaults_html
    assert "<script" not in data.defaults_html
    assert data.problems == []


@pytest.mark.parametrize(
    "compare",
    [
        "not a table",
        {"vulnerable": "app.py:1-2"},
        {"vulnerable": ["app.py"], "fixed": [3]},
        {"vulnerable": ["missing.py:1-2"], "fixed": ["app.py:10-999"]},
        {"vulnerable": ["app.py:5-2"], "defaults": ["not", "text"]},
        {"vulnerable": ["../etc/passwd:1-2"]},
    ],
)
def test_invalid_compare_data_is_skipped_with_a_note(client: Client, db, compare: Any) -> None:
    make_lab("flask-sqli", compare=compare)
    make_lab("django-sqli", framework="django")

    response = client.get(reverse("labs:compare-detail", args=["sql-injection"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "was skipped" in html
    assert "VULNERABLE-MARK" in html  # the Django column is intact


def test_a_lab_without_a_compare_table_still_has_its_column(client: Client, db) -> None:
    make_lab("flask-sqli", compare=None)
    html = client.get(reverse("labs:compare-detail", args=["sql-injection"])).content.decode()
    assert "Flask sqli" in html
    assert "no [compare] table yet" in html


def test_compare_page_shows_one_column_per_framework_and_names_the_missing_one(
    client: Client, sqli_labs
) -> None:
    page = compare_page(vulnerability_class="sql-injection", user=AnonymousUser())

    assert page is not None
    assert [(c.framework, c.lab.title) for c in page.columns] == [
        ("flask", "Flask search"),
        ("django", "Django search"),  # the easier of the two Django labs
    ]
    assert [lab.title for lab in page.columns[1].others] == ["Django report"]
    assert page.missing == ["FastAPI"]
    html = client.get(reverse("labs:compare-detail", args=["sql-injection"])).content.decode()
    assert "No FastAPI lab of this class yet." in html
    assert "SQL injection, side by side" in html


@pytest.mark.parametrize("vulnerability_class", ["no-such-class", "open-redirect"])
def test_compare_page_is_404_for_an_unknown_class_or_one_without_labs(
    client: Client, sqli_labs, vulnerability_class: str
) -> None:
    make_lab("unpublished-redirect", vulnerability_class="open-redirect", published=False)
    response = client.get(reverse("labs:compare-detail", args=[vulnerability_class]))
    assert response.status_code == 404


def fixed_shown(client: Client) -> tuple[int, str]:
    response = client.get(reverse("labs:compare-detail", args=["sql-injection"]))
    return response.status_code, response.content.decode()


def test_fixed_code_only_for_the_learner_who_solved_that_lab(
    alice: User, bob: User, charlie: User, sqli_labs
) -> None:
    session_on(alice, sqli_labs["flask"], solved_at=timezone.now())
    session_on(bob, sqli_labs["flask"], exploit_done_at=timezone.now())  # started, not solved
    people = {}
    for name, user in [("alice", alice), ("bob", bob), ("charlie", charlie)]:
        client = Client()
        client.force_login(user)
        people[name] = fixed_shown(client)
    people["anonymous"] = fixed_shown(Client())

    assert {name: status for name, (status, _) in people.items()} == dict.fromkeys(people, 200)
    alice_html = people["alice"][1]
    assert alice_html.count("FIXED-MARK") == 1  # the Flask fix only: the Django one stays locked
    assert alice_html.count("Locked.") == 1
    for name in ("bob", "charlie", "anonymous"):
        html = people[name][1]
        assert "FIXED-MARK" not in html, name
        assert html.count("Locked.") == 2, name
        assert sqli_labs["flask"].get_absolute_url() in html
    assert "(sign in first)" in people["anonymous"][1]


def test_solution_shown_unlocks_the_fixed_code_too(alice: User, sqli_labs) -> None:
    session_on(alice, sqli_labs["django"], revealed_at=timezone.now())
    page = compare_page(vulnerability_class="sql-injection", user=alice)
    assert [bool(c.fixed) for c in page.columns] == [False, True]


def test_excerpts_are_built_once_per_version(
    alice_client: Client, sqli_labs, django_assert_max_num_queries
) -> None:
    url = reverse("labs:compare-detail", args=["sql-injection"])
    with CaptureQueriesContext(connection) as first:
        alice_client.get(url)
    with CaptureQueriesContext(connection) as second:
        alice_client.get(url)

    def loads_files(queries: CaptureQueriesContext) -> bool:
        return any('"starter_files"' in q["sql"] for q in queries.captured_queries)

    assert loads_files(first)
    assert not loads_files(second)  # cached: the version's files are not read again
    for i in range(6):
        make_lab(f"more-{i}", framework=["flask", "fastapi", "django"][i % 3])
    with django_assert_max_num_queries(len(first)):
        alice_client.get(url)


def test_compare_index_lists_classes_with_labs_in_two_frameworks(client: Client, db) -> None:
    make_lab("flask-sqli")
    make_lab("django-sqli", framework="django")
    make_lab("flask-xss", vulnerability_class="cross-site-scripting")
    make_lab("flask-xss-2", vulnerability_class="cross-site-scripting")
    make_lab("fastapi-xss", framework="fastapi", vulnerability_class="cross-site-scripting")
    make_lab("flask-redirect", vulnerability_class="open-redirect")

    classes = compare_classes()
    assert [(c.value, c.frameworks, c.labs) for c in classes] == [
        ("cross-site-scripting", ["Flask", "FastAPI"], 3),
        ("sql-injection", ["Flask", "Django"], 2),
    ]
    html = client.get(reverse("labs:compare-index")).content.decode()
    assert reverse("labs:compare-detail", args=["sql-injection"]) in html
    assert reverse("labs:compare-detail", args=["open-redirect"]) not in html


def test_compare_index_has_an_empty_state(client: Client, db) -> None:
    html = client.get(reverse("labs:compare-index")).content.decode()
    assert "Nothing to compare yet" in html


@pytest.mark.parametrize("who", ["anonymous", "alice", "bob", "charlie"])
def test_everyone_may_see_the_catalogue_and_compare_pages(
    who: str, request: pytest.FixtureRequest, sqli_labs
) -> None:
    client = Client()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in [
        reverse("labs:lab-list"),
        reverse("labs:compare-index"),
        reverse("labs:compare-detail", args=["sql-injection"]),
    ]:
        assert client.get(url).status_code == 200, url
        assert client.post(url).status_code == 405, url


def test_lab_page_links_to_its_class_comparison(alice_client: Client, sqli_labs) -> None:
    html = alice_client.get(sqli_labs["flask"].get_absolute_url()).content.decode()
    assert reverse("labs:compare-detail", args=["sql-injection"]) in html


def test_articles_may_link_to_compare_pages_with_plain_paths() -> None:
    html = render_article("See [SQL injection](/labs/compare/sql-injection/).").html
    assert 'href="/labs/compare/sql-injection/"' in html
