"""Security checks: nothing a visitor sends, through any page, field or encoding, changes the SQL.

These checks look for what only injected SQL can produce: text the database had to compute, rows
from the back office's tables, an order shown without its email, orderings that follow a condition,
or a server error because a quote unbalanced the statement. Refusing a strange input with a 4xx is
always fine; a 5xx never is.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
from sql_audit import string_built_sql

# Text the database has to assemble: the pieces are in the request, the joined word is not.
MARKER_SQL = "'pw' || '-injected-' || 'marker'"
MARKER = "pw-injected-marker"
# A key in the back office's integrations table: in the database, never on a public page.
BACK_OFFICE_TEXT = "courier-live-7c1e90d2"
LEAKS = (MARKER, BACK_OFFICE_TEXT, "Green-bean importer", "Courier labels")


def assert_clean(body: str, status: int, where: str, flag: str) -> None:
    assert status < 500, f"server error for {where}: the input broke the SQL or the app"
    for leak in LEAKS:
        assert leak not in body, f"{leak!r} came back for {where}"
    assert not flag or flag not in body, f"the flag came back for {where}"
    assert "Traceback" not in body and "sqlite3." not in body, f"an error leaked for {where}"


def assert_no_order(result, payload: str, flag: str) -> None:
    where = f"{result.via} lookup with {payload!r}"
    assert_clean(result.body, result.status, where, flag)
    assert not result.found, f"{where} showed an order"


def assert_no_rows(results, payload: str, flag: str) -> None:
    where = f"{results.via} search with {payload!r}"
    assert_clean(results.body, results.status, where, flag)
    assert results.names == [], f"{where} listed coffees that cannot match it"


def union_payloads(prefix: str) -> list[str]:
    columns = f"0, {MARKER_SQL}, {MARKER_SQL}, 'shipped', '2025-01-01', 0"
    return [
        f"{prefix} UNION SELECT {columns} --",
        f"{prefix} UNION ALL SELECT {columns} /*",
        f"{prefix} union select 0, name, api_key, 'shipped', '2025-01-01', 0 from integrations --",  # noqa: S608 - attack payloads
        f"{prefix} UnIoN/**/SeLeCt 0, api_key, api_key, 'x', 'x', 0 FrOm integrations--",  # noqa: S608 - attack payloads
    ]


def test_apostrophe_in_an_email_is_plain_text(lookup_doors, lab_flag) -> None:
    for door in lookup_doors:
        result = door("TW-1003", "niamh.o'brien@example.co.uk")
        assert_clean(result.body, result.status, f"{result.via} O'Brien lookup", lab_flag)
        assert result.status == 200, f"{result.via}: the O'Brien order cannot be tracked"
        assert result.found and result.reference == "TW-1003", result.via
        for reference, email in [
            ("TW-1001'", "aoife.brennan@example.ie"),
            ("TW-1001", "aoife.brennan@example.ie'"),
            ("'", "'"),
            ('"', "\\'"),
            ("TW-1001''", "x''"),
        ]:
            assert_no_order(door(reference, email), f"{reference} / {email}", lab_flag)


def test_union_in_the_order_lookup_cannot_add_rows(lookup_doors, lab_flag) -> None:
    for door in lookup_doors:
        for payload in union_payloads("nothing'"):
            assert_no_order(door(payload, "a@example.com"), payload, lab_flag)
        for payload in union_payloads("x')"):
            assert_no_order(door("TW-1001", payload), payload, lab_flag)


def test_the_lookup_always_needs_the_right_email(lookup_doors, lab_flag) -> None:
    by_reference = [
        "TW-1001' --",
        "TW-1001'--",
        "TW-1001' /*",
        "TW-1001' OR '1'='1",
        "' OR 1=1 --",
        "TW-1001' AND 1=1 OR 'a'='a",
    ]
    by_email = ["x') OR 1=1 --", "x') OR ('a'='a", "x' OR 'a'='a", "') OR lower('a')=lower('a"]
    for door in lookup_doors:
        for payload in by_reference:
            assert_no_order(door(payload, "wrong@example.com"), payload, lab_flag)
        for payload in by_email:
            assert_no_order(door("TW-1001", payload), payload, lab_flag)


def test_coffee_search_is_not_sql(searches, lab_flag) -> None:
    columns = f"0, {MARKER_SQL}, 'x', 'light', 0, '2025', ''"
    payloads = [
        f"zzz') UNION SELECT {columns} --",
        f"zzz') UNION ALL SELECT {columns} /*",
        "zzz') UNION SELECT id, api_key, name, 'light', 0, '2025', '' FROM integrations --",
        "zzz') OR 1=1 --",
        "zzz%' OR 1=1 OR '%'='",
        "') --",
        "')/*",
        "' OR '1'='1",
    ]
    for search in searches:
        for payload in payloads:
            assert_no_rows(search(q=payload), payload, lab_flag)


def test_roast_filter_is_not_sql(searches, lab_flag) -> None:
    payloads = [
        "light' OR '1'='1",
        "nope' OR 1=1 --",
        "light' --",
        "light'/*",
        f"nope' UNION SELECT 0, {MARKER_SQL}, 'x', 'light', 0, '2025', '' --",
        "nope' UNION SELECT id, api_key, name, 'dark', 0, '2025', '' FROM integrations --",
    ]
    for search in searches:
        for payload in payloads:
            assert_no_rows(search(roast=payload), payload, lab_flag)


def test_sort_is_limited_to_the_menu(searches, lab_flag) -> None:
    # Each pair differs only in a condition the database would have to evaluate. If the sort value
    # reaches the SQL the two orders differ; if only menu options are honoured they are the same.
    pairs = [
        ("price*(CASE WHEN 1=1 THEN 1 ELSE -1 END)", "price*(CASE WHEN 1=2 THEN 1 ELSE -1 END)"),
        (
            "price*(CASE WHEN (SELECT count(*) FROM integrations) > 0 THEN 1 ELSE -1 END)",
            "price*(CASE WHEN (SELECT count(*) FROM integrations) < 0 THEN 1 ELSE -1 END)",
        ),
        (
            "price*(CASE WHEN (SELECT substr(api_key, 1, 1) FROM integrations LIMIT 1) = 'F'"
            " THEN 1 ELSE -1 END)",
            "price*(CASE WHEN (SELECT substr(api_key, 1, 1) FROM integrations LIMIT 1) != 'F'"
            " THEN 1 ELSE -1 END)",
        ),
        ("-price*(SELECT 1)", "-price*(SELECT -1)"),
        ("roasted_on LIMIT 1 --", "roasted_on LIMIT 2 --"),
    ]
    for search in searches:
        for first, second in pairs:
            a, b = search(sort=first), search(sort=second)
            assert_clean(a.body, a.status, f"{a.via} sort {first!r}", lab_flag)
            assert_clean(b.body, b.status, f"{b.via} sort {second!r}", lab_flag)
            assert (a.status, a.names) == (b.status, b.names), (
                f"{a.via}: the sort value {first!r} was evaluated as SQL"
            )
        for payload in ["name;", "name'", "(SELECT api_key FROM integrations)", "id DESC --"]:
            result = search(sort=payload)
            assert_clean(result.body, result.status, f"{result.via} sort {payload!r}", lab_flag)


def test_encoded_and_disguised_payloads_are_plain_text(app_client: httpx.Client, lab_flag) -> None:
    union = "zzz') UNION SELECT 0, name, api_key, 'light', 0, '2025', '' FROM integrations --"
    # Percent-encoded by hand, in a raw URL: the app decodes it before it reaches any code.
    for path in ["/", "/api/coffees"]:
        response = app_client.get(f"{path}?q={quote(union, safe='')}")
        assert_clean(response.text, response.status_code, f"GET {path} encoded q", lab_flag)
        response = app_client.get(f"{path}?roast={quote(union[4:], safe='')}")
        assert_clean(response.text, response.status_code, f"GET {path} encoded roast", lab_flag)
    # A form body written by hand, and JSON with the quote as a \u0027 escape.
    reference = "nothing' UNION SELECT 0, name, api_key, 'shipped', '2025', 0 FROM integrations --"
    body = f"reference={quote(reference, safe='')}&email=a%40example.com"
    response = app_client.post(
        "/orders/track",
        content=body.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_clean(response.text, response.status_code, "hand-encoded form", lab_flag)
    assert 'class="order"' not in response.text
    json_body = '{"reference": "TW-1001", "email": "x\\u0027) OR 1=1 --"}'
    response = app_client.post(
        "/api/orders/lookup", content=json_body, headers={"content-type": "application/json"}
    )
    assert_clean(response.text, response.status_code, "JSON \\u0027 escape", lab_flag)
    assert response.status_code == 404, "the JSON lookup found an order without its email"
    # Look-alike quotes and doubly encoded quotes are ordinary text: no match, no error.
    for term in ["\uff07 OR 1=1 --", "\u2019) OR 1=1 --", "%27) OR 1=1 --", "%2527"]:
        response = app_client.get("/api/coffees", params={"q": term})
        assert_clean(response.text, response.status_code, f"q={term!r}", lab_flag)
        assert response.status_code != 200 or response.json()["count"] == 0, term


def test_malformed_input_gets_a_clean_answer(app_client: httpx.Client, lab_flag) -> None:
    strange = ["\x00", "a\x00' OR 1=1 --", "x" * 2000, "\\", "%", "_", "\u202e", "🙂'"]
    for value in strange:
        for path in ["/", "/api/coffees"]:
            for name in ["q", "roast", "sort"]:
                response = app_client.get(path, params={name: value})
                where = f"GET {path} {name}={value[:20]!r}"
                assert_clean(response.text, response.status_code, where, lab_flag)
        for via in ["form", "link", "api"]:
            for reference, email in [(value, "a@example.com"), ("TW-1001", value)]:
                fields = {"reference": reference, "email": email}
                if via == "form":
                    response = app_client.post("/orders/track", data=fields)
                elif via == "link":
                    response = app_client.get("/orders/track", params=fields)
                else:
                    response = app_client.post("/api/orders/lookup", json=fields)
                where = f"{via} lookup with {reference[:20]!r} / {email[:20]!r}"
                assert_clean(response.text, response.status_code, where, lab_flag)
                assert 'class="order"' not in response.text
                assert response.status_code != 200 or via != "api", where

    wrong_types = [1001, 10.5, True, None, ["TW-1001"], {"$eq": "TW-1001"}, {"reference": "x"}]
    for value in wrong_types:
        for field in ["reference", "email"]:
            payload = {"reference": "TW-1001", "email": "aoife.brennan@example.ie", field: value}
            response = app_client.post("/api/orders/lookup", json=payload)
            where = f"API {field}={value!r}"
            assert_clean(response.text, response.status_code, where, lab_flag)
            assert 400 <= response.status_code < 500, f"{where} was not refused"
    for content, kind in [
        (b"[]", "application/json"),
        (b'"TW-1001"', "application/json"),
        (b'{"reference": "TW-1001", "email": ', "application/json"),
        (b"", "application/json"),
        (
            b"reference=TW-1001&email=aoife.brennan%40example.ie",
            "application/x-www-form-urlencoded",
        ),
        (b"\xff\xfe{}", "application/json"),
    ]:
        response = app_client.post(
            "/api/orders/lookup", content=content, headers={"content-type": kind}
        )
        where = f"API body {content[:30]!r}"
        assert_clean(response.text, response.status_code, where, lab_flag)
        assert 400 <= response.status_code < 500, f"{where} was not refused"


def test_no_sql_is_built_from_strings(app_files: Path) -> None:
    """Values go in as ? parameters; a column name comes from a fixed table in the code."""
    findings = string_built_sql(app_files)
    assert not findings, "SQL is still assembled from strings:\n" + "\n".join(map(str, findings))
