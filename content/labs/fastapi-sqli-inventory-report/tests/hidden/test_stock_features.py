"""Functional checks: the parts list, the part page and the stock report all still work."""

from __future__ import annotations

import httpx
from stock_data import PARTS, as_json, report, rows_of

BY_NAME = sorted(PARTS, key=lambda part: part[1])


def skus(response: httpx.Response) -> list[str]:
    return [part["sku"] for part in response.json()["results"]]


def test_parts_list_shows_every_part_by_name(app_client: httpx.Client) -> None:
    response = app_client.get("/api/parts")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(PARTS)
    assert body["results"] == [as_json(part) for part in BY_NAME]


def test_search_matches_name_or_sku_in_any_case(app_client: httpx.Client) -> None:
    cases = {
        "chain": {"CH-1108", "CH-0908", "CH-1208"},
        "SHIMANO": {"CH-1108", "BR-2201"},
        "ty-27": {"TY-2750"},
        "700x": {"TY-7002", "TY-2750"},
        "29x2.5": {"TY-2915"},
        "Kool-Stop": {"BR-1150"},
        "12-speed": {"CH-1208"},
        "unicycle": set(),
    }
    for term, expected in cases.items():
        response = app_client.get("/api/parts", params={"q": term})
        assert response.status_code == 200, term
        assert set(skus(response)) == expected, term
        assert response.json()["count"] == len(expected), term


def test_category_filter_narrows_the_list(app_client: httpx.Client) -> None:
    for category in ("brakes", "chains", "lights", "tyres"):
        response = app_client.get("/api/parts", params={"category": category})
        assert response.status_code == 200, category
        assert skus(response) == [p[0] for p in BY_NAME if p[2] == category], category
    both = app_client.get("/api/parts", params={"category": "tyres", "q": "700"})
    assert set(skus(both)) == {"TY-7002", "TY-2750"}
    assert skus(app_client.get("/api/parts", params={"category": "saddles"})) == []


def test_every_sort_and_order_work(app_client: httpx.Client) -> None:
    columns = {"sku": 0, "name": 1, "stock": 4, "price": 5}
    for sort, index in columns.items():
        for order in ("asc", "desc"):
            expected = sorted(PARTS, key=lambda p: p[0])
            expected = sorted(expected, key=lambda p: p[index], reverse=order == "desc")
            response = app_client.get("/api/parts", params={"sort": sort, "order": order})
            assert response.status_code == 200, (sort, order)
            assert skus(response) == [p[0] for p in expected], (sort, order)
    cheapest_lights = app_client.get("/api/parts", params={"category": "lights", "sort": "price"})
    assert skus(cheapest_lights) == ["LT-0075", "LT-0400", "LT-1200"]


def test_part_page_returns_one_part(app_client: httpx.Client) -> None:
    for part in PARTS:
        response = app_client.get(f"/api/parts/{part[0]}")
        assert response.status_code == 200, part[0]
        assert response.json() == as_json(part)
    missing = app_client.get("/api/parts/XX-0000")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "No part with SKU XX-0000."}
    assert app_client.get("/api/parts/ch-1108").status_code == 404


def test_stock_report_totals_per_category(app_client: httpx.Client) -> None:
    response = app_client.post("/api/reports/stock", json={})

    assert response.status_code == 200
    assert response.json()["group_by"] == "category"
    assert rows_of(response) == report()
    explicit = app_client.post("/api/reports/stock", json={"group_by": "category"})
    assert rows_of(explicit) == report()


def test_stock_report_totals_per_warehouse(app_client: httpx.Client) -> None:
    response = app_client.post("/api/reports/stock", json={"group_by": "warehouse"})

    assert response.status_code == 200
    assert response.json()["group_by"] == "warehouse"
    assert rows_of(response) == report("warehouse")


def test_stock_report_filters_combine(app_client: httpx.Client) -> None:
    cases = [
        {"warehouse": "leeds"},
        {"warehouse": "bristol", "group_by": "warehouse"},
        {"categories": ["tyres"]},
        {"categories": ["lights", "brakes"], "group_by": "warehouse"},
        {"below": 10},
        {"below": 0},
        {"warehouse": "leeds", "categories": ["chains", "tyres"], "below": 20},
        {"warehouse": "glasgow"},
        {"categories": ["saddles"]},
        {"categories": []},
    ]
    for body in cases:
        response = app_client.post("/api/reports/stock", json=body)
        assert response.status_code == 200, body
        expected = report(
            body.get("group_by", "category"),
            body.get("warehouse"),
            tuple(body.get("categories", ())),
            body.get("below"),
        )
        assert rows_of(response) == expected, body


def test_report_explains_invalid_bodies(app_client: httpx.Client) -> None:
    for body, field in [
        ({"below": -1}, "below"),
        ({"below": "ten"}, "below"),
        ({"categories": "tyres"}, "categories"),
        ({"warehouse": 7}, "warehouse"),
    ]:
        response = app_client.post("/api/reports/stock", json=body)
        assert response.status_code == 422, body
        fields = [error["loc"][-1] for error in response.json()["detail"]]
        assert field in fields, body
    not_json = app_client.post(
        "/api/reports/stock", content=b"{", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 422


def test_health_endpoint_reports_ok(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
