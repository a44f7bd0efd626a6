"""What the stock API does today. Run these before and after your fix: they should all pass.

``app_client`` is an httpx.Client that talks to your running API.
"""

from __future__ import annotations

import httpx


def test_parts_list(app_client: httpx.Client) -> None:
    response = app_client.get("/api/parts")

    assert response.status_code == 200
    assert response.json()["count"] == 13


def test_search_filter_and_sort(app_client: httpx.Client) -> None:
    response = app_client.get(
        "/api/parts", params={"q": "light", "category": "lights", "sort": "price", "order": "desc"}
    )

    assert response.status_code == 200
    skus = [part["sku"] for part in response.json()["results"]]
    assert skus == ["LT-1200", "LT-0400", "LT-0075"]


def test_one_part(app_client: httpx.Client) -> None:
    response = app_client.get("/api/parts/BR-1150")

    assert response.status_code == 200
    assert response.json()["name"] == "Kool-Stop Salmon brake pads"
    assert app_client.get("/api/parts/XX-0000").status_code == 404


def test_stock_report_per_warehouse(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/reports/stock", json={"group_by": "warehouse", "categories": ["chains"]}
    )

    assert response.status_code == 200
    rows = response.json()["rows"]
    assert [(row["group"], row["parts"], row["units"]) for row in rows] == [
        ("bristol", 1, 12),
        ("leeds", 2, 38),
    ]
