"""Functional checks: the coffee list, its filters and sort menu, and order tracking still work."""

from __future__ import annotations

import httpx

# The shop's coffees: name, origin, roast, price in pence, roasted on.
COFFEES = [
    ("Harbour Blend", "Brazil & Colombia", "medium", 850, "2025-03-03"),
    ("Lighthouse Espresso", "Brazil", "dark", 900, "2025-03-04"),
    ("Yirgacheffe Kochere", "Ethiopia", "light", 1150, "2025-03-05"),
    ("Huila Las Flores", "Colombia", "medium", 1050, "2025-02-27"),
    ("Kiambu Peaberry", "Kenya", "light", 1250, "2025-03-01"),
    ("Sumatra Wahana", "Indonesia", "dark", 980, "2025-02-25"),
    ("Santa Bárbara Decaf", "Honduras", "medium", 920, "2025-02-28"),
    ("Finca El Puente", "Honduras", "light", 1190, "2025-03-06"),
    ("Night Ferry", "Guatemala & Sumatra", "dark", 870, "2025-03-02"),
    ("Rwanda Huye Mountain", "Rwanda", "medium", 1120, "2025-02-26"),
]
ALL_NAMES = sorted(coffee[0] for coffee in COFFEES)
SORT_KEYS = {
    "name": lambda c: c[0],
    "origin": lambda c: (c[1], c[0]),
    "price": lambda c: (c[3], c[0]),
    "-price": lambda c: (-c[3], c[0]),
    "-roasted_on": lambda c: (tuple(-int(part) for part in c[4].split("-")), c[0]),
}


def test_coffee_list_shows_every_coffee_a_to_z(searches) -> None:
    for search in searches:
        results = search()
        assert results.status == 200, results.via
        assert results.names == ALL_NAMES, results.via
    page, _ = searches
    assert "10 coffees found" in page().body


def test_search_matches_name_or_origin_in_any_case(searches) -> None:
    cases = {
        "KENYA": {"Kiambu Peaberry"},
        "blend": {"Harbour Blend"},
        "bárbara": {"Santa Bárbara Decaf"},
        "honduras": {"Santa Bárbara Decaf", "Finca El Puente"},
        "sumatra": {"Sumatra Wahana", "Night Ferry"},
        " & ": {"Harbour Blend", "Night Ferry"},
        "Las Flores": {"Huila Las Flores"},
    }
    for search in searches:
        for term, expected in cases.items():
            results = search(q=term)
            assert results.status == 200, (results.via, term)
            assert set(results.names) == expected, (results.via, term)


def test_search_without_a_match_says_so(searches) -> None:
    page, api = searches
    empty_page = page(q="yerba mate")
    assert empty_page.status == 200
    assert empty_page.names == []
    assert "No coffees match your search" in empty_page.body
    empty_api = api(q="yerba mate")
    assert empty_api.status == 200
    assert empty_api.names == []
    assert '"count":0' in empty_api.body.replace(" ", "")


def test_roast_filter_narrows_the_list(searches) -> None:
    for search in searches:
        for roast in ("light", "medium", "dark"):
            results = search(roast=roast)
            expected = sorted(c[0] for c in COFFEES if c[2] == roast)
            assert results.status == 200, (results.via, roast)
            assert results.names == expected, (results.via, roast)
        assert search(roast="dark", q="sumatra").names == ["Night Ferry", "Sumatra Wahana"]
        assert search(roast="light", q="brazil").names == []
    page, _ = searches
    assert '<option value="dark" selected>' in page(roast="dark").body


def test_every_sort_option_orders_the_list(searches) -> None:
    for sort, key in SORT_KEYS.items():
        expected = [c[0] for c in sorted(COFFEES, key=key)]
        for search in searches:
            results = search(sort=sort)
            assert results.status == 200, (results.via, sort)
            assert results.names == expected, (results.via, sort)
        light = [c[0] for c in sorted(COFFEES, key=key) if c[2] == "light"]
        _, api = searches
        assert api(sort=sort, roast="light").names == light, sort
    page, _ = searches
    assert '<option value="-price" selected>' in page(sort="-price").body


def test_api_returns_each_coffees_details(app_client: httpx.Client) -> None:
    response = app_client.get("/api/coffees", params={"q": "Kiambu"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 1
    (coffee,) = body["results"]
    assert coffee["name"] == "Kiambu Peaberry"
    assert coffee["origin"] == "Kenya"
    assert coffee["roast"] == "light"
    assert coffee["price"] == "£12.50"
    assert coffee["roasted_on"] == "2025-03-01"
    assert isinstance(coffee["id"], int)


def test_form_tracks_an_order(app_client: httpx.Client) -> None:
    form = app_client.get("/orders/track")
    assert form.status_code == 200
    assert 'name="reference"' in form.text
    assert 'name="email"' in form.text

    response = app_client.post(
        "/orders/track", data={"reference": "TW-1004", "email": "Kwame@Example.GH"}
    )

    assert response.status_code == 200
    assert 'data-reference="TW-1004"' in response.text
    assert "Kwame Mensah" in response.text
    assert "Order received" in response.text
    assert "3 \u00d7 Kiambu Peaberry (whole bean)" in response.text
    assert "1 \u00d7 Harbour Blend (filter)" in response.text
    assert "£46.00" in response.text


def test_tracking_link_opens_the_order(app_client: httpx.Client) -> None:
    response = app_client.get(
        "/orders/track", params={"reference": "TW-1001", "email": "aoife.brennan@example.ie"}
    )

    assert response.status_code == 200
    assert 'data-reference="TW-1001"' in response.text
    assert "Delivered" in response.text
    assert "2 \u00d7 Harbour Blend (whole bean)" in response.text


def test_api_tracks_an_order(app_client: httpx.Client) -> None:
    response = app_client.post(
        "/api/orders/lookup",
        json={"reference": " TW-1002 ", "email": "TOMAS.RUIZ@example.es"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "reference": "TW-1002",
        "customer": "Tomás Ruiz",
        "status": "shipped",
        "placed_on": "2025-03-01",
        "total": "£17.70",
        "items": [
            {"coffee": "Lighthouse Espresso", "grind": "espresso", "quantity": 1},
            {"coffee": "Night Ferry", "grind": "cafetière", "quantity": 1},
        ],
    }


def test_wrong_email_or_reference_finds_no_order(lookup_doors) -> None:
    for door in lookup_doors:
        for reference, email in [
            ("TW-1001", "tomas.ruiz@example.es"),
            ("TW-1002", "aoife.brennan@example.ie"),
            ("TW-9999", "aoife.brennan@example.ie"),
            ("TW-100", "aoife.brennan@example.ie"),
        ]:
            result = door(reference, email)
            assert result.status == 404, (result.via, reference, email)
            assert not result.found, (result.via, reference, email)
            assert "No order matches that reference and email address" in result.body


def test_missing_fields_are_explained(app_client: httpx.Client) -> None:
    half = app_client.post("/orders/track", data={"reference": "TW-1001", "email": " "})
    assert half.status_code == 400
    assert "Enter both the order reference and the email address" in half.text

    missing = app_client.post("/api/orders/lookup", json={"reference": "TW-1001"})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"email"}
    not_text = app_client.post("/api/orders/lookup", json={"reference": 1001, "email": ""})
    assert not_text.status_code == 400
    assert set(not_text.json()["errors"]) == {"reference", "email"}


def test_health_endpoint_reports_ok(app_client: httpx.Client) -> None:
    response = app_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
