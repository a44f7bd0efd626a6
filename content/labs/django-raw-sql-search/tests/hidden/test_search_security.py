"""Security checks: no search input, in any field, may change the SQL the shop runs.

These tests do not know the planted flag. They look for behaviour that only injected SQL produces:
rows that no book could match, values the database had to compute, orderings that follow a
condition, or a server error because a quote unbalanced the statement. Every payload is sent both
to the search page and to the JSON API. Refusing a strange input (a 4xx answer) is always safe.
"""

from __future__ import annotations

# A text the database has to assemble: the pieces appear in the request (and are echoed back in the
# search box), but the joined word can only come back if the SQL ran the concatenation.
MARKER_SQL = "'pw' || '-injected-' || 'marker'"
MARKER = "pw-injected-marker"
MARKER_ID = "990001"
# The text of a staff note: it is in the database, but never on any public page.
STAFF_NOTE_TEXT = "Penguin Classics spinner"


def assert_not_injected(results, payload: str) -> None:
    where = f"{results.via} with {payload!r}"
    assert results.status < 500, f"server error for {where}: the input broke the SQL"
    assert MARKER not in results.body, f"a value computed by injected SQL came back for {where}"
    assert STAFF_NOTE_TEXT not in results.body, f"a staff note came back for {where}"
    assert int(MARKER_ID) not in results.ids, f"an injected row came back for {where}"


def assert_no_rows(results, payload: str) -> None:
    assert_not_injected(results, payload)
    assert results.ids == [], f"{results.via} with {payload!r} listed books that cannot match it"


def test_apostrophe_in_search_is_plain_text(both_searches):
    for search in both_searches:
        for term in ["'", "''", "it's", "O'Reilly'", '"', "\\'", "%'", "'--"]:
            assert_not_injected(search(q=term), term)
        results = search(q="O'Reilly")
        assert_not_injected(results, "O'Reilly")
        if results.status == 200:
            # Stripping the quote out would search for "OReilly" and find nothing.
            assert results.titles == ["The Harbour Lights"], f"{results.via}: O'Reilly not found"


def test_union_in_search_cannot_add_rows(both_searches):
    payloads = [
        f"zzz') UNION SELECT {MARKER_ID}, {MARKER_SQL}, 'x', 2000, 1, 'x', 'x' --",
        f"zzz') UNION SELECT {MARKER_ID}, {MARKER_SQL}, 'x', 2000, 1, 'x', 'x' /*",
        f"zzz') UNION ALL SELECT {MARKER_ID}, {MARKER_SQL}, 'x', 2000, 1, 'x', 'x' FROM books --",
        "zzz') UNION SELECT id, body, author, 2000, 1, 'x', 'x' FROM staff_notes --",
        "zzz') UNION SELECT id, author, body, 2000, 1, body, body FROM staff_notes /*",
    ]
    for search in both_searches:
        for payload in payloads:
            assert_no_rows(search(q=payload), payload)


def test_always_true_condition_in_search_lists_nothing(both_searches):
    payloads = [
        "zzz') OR 1=1 --",
        "zzz') OR ('a'='a') --",
        "zzz%' OR 1=1 OR '%'='",
        "zzz%' OR 'x' LIKE 'x",
        "' OR '1'='1",
        "' OR 1=1 --",
    ]
    for search in both_searches:
        for payload in payloads:
            assert_no_rows(search(q=payload), payload)


def test_comment_markers_in_search_are_plain_text(both_searches):
    # "') --" and "')/*" would close the LIKE early and comment out the rest of the condition,
    # so an injectable search lists every book. As text, no title or author contains them.
    payloads = ["') --", "')--", "')/*", "') /* note */ --", "%') --", "') ;--", "')#"]
    for search in both_searches:
        for payload in payloads:
            assert_no_rows(search(q=payload), payload)


def test_sort_order_is_limited_to_the_menu(both_searches):
    # Each pair differs only in a condition the database would have to evaluate. If the sort value
    # reaches the SQL, the two orders differ; if only menu options are honoured, they are the same.
    pairs = [
        ("price*(CASE WHEN 1=1 THEN 1 ELSE -1 END)", "price*(CASE WHEN 1=2 THEN 1 ELSE -1 END)"),
        (
            "price*(CASE WHEN (SELECT count(*) FROM staff_notes) > 0 THEN 1 ELSE -1 END)",
            "price*(CASE WHEN (SELECT count(*) FROM staff_notes) < 0 THEN 1 ELSE -1 END)",
        ),
        ("-price*(SELECT 1)", "-price*(SELECT -1)"),
        ("year*(1) --", "year*(-1) --"),
    ]
    for search in both_searches:
        for first, second in pairs:
            a, b = search(sort=first), search(sort=second)
            assert_not_injected(a, first)
            assert_not_injected(b, second)
            assert (a.status, a.ids) == (b.status, b.ids), (
                f"{a.via}: the sort value {first!r} was evaluated as SQL"
            )
        for payload in [
            "title;",
            "title LIMIT 1",
            "title' --",
            "(SELECT body FROM staff_notes)",
            "id DESC --",
        ]:
            assert_not_injected(search(sort=payload), payload)


def test_category_filter_is_not_sql(both_searches):
    payloads = [
        "nope' OR '1'='1",
        "nope' OR 1=1 --",
        "poetry' --",
        "poetry'/*",
        f"nope' UNION SELECT {MARKER_ID}, {MARKER_SQL}, 'x', 2000, 1, 'x', 'x' --",
        "nope' UNION SELECT id, body, author, 2000, 1, 'x', 'x' FROM staff_notes --",
    ]
    for search in both_searches:
        for payload in payloads:
            assert_no_rows(search(category=payload), payload)


def test_max_price_filter_is_not_sql(both_searches):
    # No quotes needed here: the price is a number in the SQL, so blocking quotes does not help.
    pairs = [
        ("0 OR 1=1", "0 OR 1=0"),
        ("100 AND 1=0", "100 AND 1=1"),
        (
            "100 AND (SELECT count(*) FROM staff_notes) > 0",
            "100 AND (SELECT count(*) FROM staff_notes) < 0",
        ),
    ]
    unions = [
        f"0 UNION SELECT {MARKER_ID}, {MARKER_SQL}, 'x', 2000, 1, 'x', 'x'",
        "0 UNION SELECT id, body, author, 2000, 1, body, body FROM staff_notes",
        "0 UNION SELECT id, body, author, 2000, 1, body, body FROM staff_notes --",
        f"0 UNION SELECT {MARKER_ID}, body, author, 2000, 1, author, author FROM staff_notes /*",
    ]
    for search in both_searches:
        for first, second in pairs:
            a, b = search(max_price=first), search(max_price=second)
            assert_not_injected(a, first)
            assert_not_injected(b, second)
            assert (a.status, a.ids) == (b.status, b.ids), (
                f"{a.via}: the price limit {first!r} was evaluated as SQL"
            )
        for payload in unions:
            assert_not_injected(search(max_price=payload), payload)
