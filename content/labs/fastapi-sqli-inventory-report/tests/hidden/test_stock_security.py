"""Security checks: no query parameter, path segment or JSON field can change the SQL.

The checks look for what only injected SQL produces: text the database had to compute, rows from
the service_tokens table, results that follow a condition, or a server error because a quote or a
colon unbalanced the statement. Refusing a strange input (a 4xx, such as FastAPI's 422) is always
fine; a 5xx never is.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
from sql_audit import string_built_sql
from stock_data import PARTS, rows_of

MARKER_SQL = "'pw' || '-injected-' || 'marker'"
MARKER = "pw-injected-marker"
LEAKS = (MARKER, "till-9f3b27c1e0d84a65", "warehouse-admin", "till-2")
TOKENS_UNION_6 = "SELECT owner, token, 'x', 'x', 0, 0 FROM service_tokens"
TOKENS_UNION_4 = "SELECT token, 0, 0, 0 FROM service_tokens"


def assert_clean(response: httpx.Response, where: str, flag: str) -> None:
    assert response.status_code < 500, f"server error for {where}: the input broke the SQL"
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} came back for {where}"
    assert not flag or flag not in response.text, f"the flag came back for {where}"
    assert "Traceback" not in response.text, f"a traceback came back for {where}"


def listed(response: httpx.Response) -> list[str]:
    if response.status_code != 200:
        return []
    return [part["sku"] for part in response.json()["results"]]


def matching(term: str) -> list[str]:
    """The SKUs whose name or SKU contains ``term`` as text, in name order."""
    found = [p for p in PARTS if term.lower() in p[1].lower() or term.lower() in p[0].lower()]
    return [p[0] for p in sorted(found, key=lambda p: p[1])]


def report_rows(response: httpx.Response) -> list[tuple]:
    return rows_of(response) if response.status_code == 200 else []


def test_quotes_and_colons_are_plain_text(app_client: httpx.Client, lab_flag) -> None:
    joes = app_client.get("/api/parts", params={"q": "Joe's"})
    assert_clean(joes, "q=Joe's", lab_flag)
    assert joes.status_code == 200 and listed(joes) == ["TY-0240"], "Joe's sealant is not found"
    for value in ["'", "''", "\\'", '"', "x')", ":sku", "a:b", "12:30", "'--"]:
        response = app_client.get("/api/parts", params={"q": value})
        assert_clean(response, f"GET /api/parts q={value!r}", lab_flag)
        assert listed(response) == matching(value), f"q={value!r} listed the wrong parts"
        response = app_client.get("/api/parts", params={"category": value})
        assert_clean(response, f"GET /api/parts category={value!r}", lab_flag)
        assert listed(response) == [], f"category={value!r} listed parts"
        response = app_client.get("/api/parts/" + quote(value, safe=""))
        assert_clean(response, f"GET /api/parts/{value}", lab_flag)
        assert response.status_code == 404, f"the part page answered {value!r} with no 404"
        for body in [{"warehouse": value}, {"categories": [value]}]:
            response = app_client.post("/api/reports/stock", json=body)
            assert_clean(response, f"report {body}", lab_flag)
            assert report_rows(response) == [], f"report {body} counted parts"


def test_union_in_the_parts_search_cannot_add_rows(app_client: httpx.Client, lab_flag) -> None:
    payloads = {
        "q": [
            f"zzz') UNION {TOKENS_UNION_6} --",
            f"zzz') UNION SELECT {MARKER_SQL}, 'x', 'x', 'x', 0, 0 /*",
            "zzz') uNiOn/**/sElEcT owner, token, 'x', 'x', 0, 0 fRoM service_tokens--",
            "zzz') OR 1=1 --",
            "zzz%' OR 1=1 OR '%'='",
            "') --",
        ],
        "category": [
            f"none' UNION {TOKENS_UNION_6} --",
            f"none' UNION SELECT {MARKER_SQL}, 'x', 'x', 'x', 0, 0 --",
            "none' OR '1'='1",
            "none' OR 1=1 --",
            "lights' --",
        ],
    }
    for name, values in payloads.items():
        for value in values:
            response = app_client.get("/api/parts", params={name: value})
            assert_clean(response, f"GET /api/parts {name}={value!r}", lab_flag)
            assert listed(response) == [], f"{name}={value!r} listed parts"


def test_part_path_is_not_sql(app_client: httpx.Client, lab_flag) -> None:
    payloads = [
        f"nothing' UNION {TOKENS_UNION_6} --",
        f"nothing' UNION SELECT {MARKER_SQL}, 'x', 'x', 'x', 0, 0 --",
        "nothing' OR '1'='1",
        "BR-1150' --",
        "BR-1150'/*",
        "nothing' oR sku LIKE 'BR%",
    ]
    for payload in payloads:
        for path in [
            "/api/parts/" + quote(payload, safe=""),
            "/api/parts/" + quote(payload, safe="'"),
            "/api/parts/" + quote(payload, safe="").replace("%27", "%2527"),
        ]:
            response = app_client.get(path)
            assert_clean(response, f"GET {path}", lab_flag)
            assert response.status_code == 404, f"GET {path} found a part"


def test_report_values_are_not_sql(app_client: httpx.Client, lab_flag) -> None:
    bodies = [
        {"warehouse": f"nowhere' UNION {TOKENS_UNION_4} --"},
        {"warehouse": f"nowhere' UNION SELECT {MARKER_SQL}, 0, 0, 0 /*"},
        {"warehouse": "nowhere' OR '1'='1"},
        {"warehouse": "nowhere' OR 1=1 --"},
        {"categories": [f"none') UNION {TOKENS_UNION_4} --"]},
        {"categories": ["saddles", f"none') UNION SELECT {MARKER_SQL}, 0, 0, 0 --"]},
        {"categories": ["none') OR ('1'='1"]},
        {"categories": ["none', 'lights"]},
        {"group_by": "warehouse", "warehouse": "nowhere' OR 'a'='a"},
    ]
    for body in bodies:
        response = app_client.post("/api/reports/stock", json=body)
        assert_clean(response, f"report {body}", lab_flag)
        assert report_rows(response) == [], f"report {body} counted parts"


def test_columns_are_chosen_from_a_fixed_list(app_client: httpx.Client, lab_flag) -> None:
    # Each pair differs only in a condition the database would have to evaluate: if the value
    # reaches the SQL the two answers differ, if only known columns are honoured they are equal.
    sort_pairs = [
        ("price*(CASE WHEN 1=1 THEN 1 ELSE -1 END)", "price*(CASE WHEN 1=2 THEN 1 ELSE -1 END)"),
        (
            "price*(CASE WHEN (SELECT count(*) FROM service_tokens) > 0 THEN 1 ELSE -1 END)",
            "price*(CASE WHEN (SELECT count(*) FROM service_tokens) < 0 THEN 1 ELSE -1 END)",
        ),
        ("stock LIMIT 1 --", "stock LIMIT 2 --"),
    ]
    for first, second in sort_pairs:
        a = app_client.get("/api/parts", params={"sort": first})
        b = app_client.get("/api/parts", params={"sort": second})
        assert_clean(a, f"sort={first!r}", lab_flag)
        assert_clean(b, f"sort={second!r}", lab_flag)
        assert (a.status_code, listed(a)) == (b.status_code, listed(b)), f"sort {first!r} ran"
    order_pairs = [
        (
            "desc, price*(CASE WHEN 1=1 THEN 1 ELSE -1 END)",
            "desc, price*(CASE WHEN 1=2 THEN 1 ELSE -1 END)",
        ),
        ("asc LIMIT 1", "asc LIMIT 3"),
    ]
    for first, second in order_pairs:
        a = app_client.get("/api/parts", params={"sort": "category", "order": first})
        b = app_client.get("/api/parts", params={"sort": "category", "order": second})
        assert_clean(a, f"order={first!r}", lab_flag)
        assert_clean(b, f"order={second!r}", lab_flag)
        assert (a.status_code, listed(a)) == (b.status_code, listed(b)), f"order {first!r} ran"
    group_pairs = [
        (
            "CASE WHEN 1=1 THEN category ELSE warehouse END",
            "CASE WHEN 1=2 THEN category ELSE warehouse END",
        ),
        (f"(SELECT {MARKER_SQL})", "(SELECT 'plain')"),
        ("(SELECT group_concat(token) FROM service_tokens)", "(SELECT 'x')"),
        ("category HAVING 1=1 --", "category HAVING 1=0 --"),
    ]
    for first, second in group_pairs:
        a = app_client.post("/api/reports/stock", json={"group_by": first})
        b = app_client.post("/api/reports/stock", json={"group_by": second})
        assert_clean(a, f"group_by={first!r}", lab_flag)
        assert_clean(b, f"group_by={second!r}", lab_flag)
        # Compare the totals only: a fix that binds the value may echo it as the group's label.
        totals_a = [row[1:] for row in report_rows(a)]
        totals_b = [row[1:] for row in report_rows(b)]
        assert (a.status_code, totals_a) == (b.status_code, totals_b), (
            f"group_by {first!r} ran as SQL"
        )
    for value in ["name;", "sku'", "(SELECT token FROM service_tokens)", "1 --", "CATEGORY"]:
        for params in [{"sort": value}, {"order": value}]:
            assert_clean(app_client.get("/api/parts", params=params), f"{params}", lab_flag)
        response = app_client.post("/api/reports/stock", json={"group_by": value})
        assert_clean(response, f"group_by={value!r}", lab_flag)


def test_encoded_and_disguised_payloads_are_plain_text(app_client: httpx.Client, lab_flag) -> None:
    union = f"zzz') UNION {TOKENS_UNION_6} --"
    for raw in [quote(union, safe=""), quote(union, safe="").replace("%20", "+")]:
        response = app_client.get(f"/api/parts?q={raw}")
        assert_clean(response, "percent-encoded q", lab_flag)
        assert listed(response) == []
    escaped = '{"warehouse": "nowhere\\u0027 UNION SELECT token, 0, 0, 0 FROM service_tokens --"}'
    response = app_client.post(
        "/api/reports/stock", content=escaped, headers={"content-type": "application/json"}
    )
    assert_clean(response, "JSON \\u0027 escape", lab_flag)
    assert report_rows(response) == []
    for term in ["\uff07) OR 1=1 --", "\u2019) OR 1=1 --", "%27) OR 1=1 --", "%2527"]:
        response = app_client.get("/api/parts", params={"q": term})
        assert_clean(response, f"q={term!r}", lab_flag)
        assert listed(response) == [], term
        response = app_client.post("/api/reports/stock", json={"warehouse": term})
        assert_clean(response, f"warehouse={term!r}", lab_flag)
        assert report_rows(response) == [], term


def test_wrong_types_and_malformed_values_are_refused_cleanly(
    app_client: httpx.Client, lab_flag
) -> None:
    for value in ["\x00", "a\x00' OR 1=1 --", "x" * 2000, "\\", "_", "%", "\u202e", "🙂'", ":x"]:
        for name in ["q", "category", "sort", "order"]:
            response = app_client.get("/api/parts", params={name: value})
            assert_clean(response, f"GET /api/parts {name}={value[:20]!r}", lab_flag)
        response = app_client.get("/api/parts/" + quote(value, safe=""))
        assert_clean(response, f"GET /api/parts/{value[:20]!r}", lab_flag)
        for body in [{"warehouse": value}, {"categories": [value]}, {"group_by": value}]:
            response = app_client.post("/api/reports/stock", json=body)
            assert_clean(response, f"report with {value[:20]!r}", lab_flag)
    wrong_types = {
        "warehouse": [5, True, ["leeds"], {"name": "leeds"}],
        "categories": ["tyres", [1], [["tyres"]], [None], {"tyres": True}, 7],
        "below": ["5 OR 1=1", -1, 1.5, "ten", [5], {"lt": 5}],
        "group_by": [1, ["category"], {"column": "category"}, None],
    }
    for field, values in wrong_types.items():
        for value in values:
            response = app_client.post("/api/reports/stock", json={field: value})
            where = f"report {field}={value!r}"
            assert_clean(response, where, lab_flag)
            assert 400 <= response.status_code < 500, f"{where} was not refused"
    for content, kind in [
        (b"[]", "application/json"),
        (b'"category"', "application/json"),
        (b"null", "application/json"),
        (b'{"warehouse": ', "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"warehouse=leeds", "application/x-www-form-urlencoded"),
    ]:
        response = app_client.post(
            "/api/reports/stock", content=content, headers={"content-type": kind}
        )
        where = f"report body {content[:20]!r}"
        assert_clean(response, where, lab_flag)
        assert 400 <= response.status_code < 500, f"{where} was not refused"


def test_no_sql_is_built_from_strings(app_files: Path) -> None:
    """Values go in as bound parameters; column names come from a fixed table in the code."""
    findings = string_built_sql(app_files)
    assert not findings, "SQL is still assembled from strings:\n" + "\n".join(map(str, findings))
