"""Functional checks: everyone keeps full use of their own expenses after the fix."""

from __future__ import annotations

import httpx
from conftest import doors, new_expense, page_urls, sign_in, unique

MISSING_IDS = ["999999", "0", "99999999999999999999999"]


def test_sign_in_is_required_and_works(app_client: httpx.Client) -> None:
    assert app_client.get("/api/expenses").status_code == 401
    page = app_client.get("/")
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]
    wrong = app_client.post("/login", data={"username": "alex", "password": "nope"})
    assert wrong.status_code in (200, 401) and "do not match" in wrong.text
    assert app_client.get("/api/expenses").status_code == 401

    sign_in(app_client, "alex", fresh=True)
    assert app_client.get("/api/expenses").status_code == 200
    assert app_client.post("/logout").status_code in (302, 303)
    assert app_client.get("/api/expenses").status_code == 401


def test_lists_show_the_signed_in_persons_expenses(app_client: httpx.Client) -> None:
    sign_in(app_client, "alex")
    page = app_client.get("/")
    assert page.status_code == 200
    for title in [
        "Train to Leeds, client workshop",
        "Sketchbooks and markers",
        "Taxi from the station",
    ]:
        assert title in page.text
    for title in ["Coffee with the Hartley team", "Lisbon offsite", "Payroll bureau"]:
        assert title not in page.text
    titles = [row["title"] for row in app_client.get("/api/expenses").json()["expenses"]]
    assert "Taxi from the station" in titles and "Train to Leeds, client workshop" in titles
    assert not {"Coffee with the Hartley team", "Font licence: Brightwell Sans"} & set(titles)

    sign_in(app_client, "blake")
    titles = [row["title"] for row in app_client.get("/api/expenses").json()["expenses"]]
    assert {"Coffee with the Hartley team", "Font licence: Brightwell Sans"} <= set(titles)
    assert "Taxi from the station" not in titles


def test_owner_sees_their_expense_on_every_page_and_in_the_api(app_client: httpx.Client) -> None:
    expense = new_expense(app_client, "alex", amount="31.05")
    pages = [url for url in page_urls(app_client) if url.rstrip("/").endswith(str(expense["id"]))]
    assert len(pages) == 1
    for method, url in doors(expense, pages[0]):
        response = app_client.request(method, url)
        assert response.status_code == 200, f"{method} {url}: {response.status_code}"
        assert expense["title"] in response.text, f"{method} {url} does not show the expense"
    api = app_client.get(expense["url"]).json()
    assert api["amount"] == "31.05" and api["note"] == expense["note"]
    slip = app_client.get(pages[0].rstrip("/") + "/receipt.txt")
    assert "Alex Okafor" in slip.text and "GBP 31.05" in slip.text and expense["note"] in slip.text


def test_owner_edits_and_deletes_through_the_pages(app_client: httpx.Client) -> None:
    sign_in(app_client, "alex")
    title = unique("Printer ink")
    created = app_client.post(
        "/expenses/new",
        data={"title": title, "amount": "42", "category": "supplies", "spent_on": "2026-11-03"},
    )
    assert created.status_code in (302, 303)
    page = created.headers["location"]
    assert title in app_client.get(page).text

    form = app_client.get(page.rstrip("/") + "/edit")
    assert form.status_code == 200 and title in form.text
    renamed = unique("Printer ink, colour")
    edited = app_client.post(
        page.rstrip("/") + "/edit",
        data={
            "title": renamed,
            "amount": "43.50",
            "category": "supplies",
            "spent_on": "2026-11-03",
            "note": "two cartridges",
        },
    )
    assert edited.status_code in (302, 303)
    shown = app_client.get(page)
    assert renamed in shown.text and "43.50" in shown.text and "two cartridges" in shown.text

    bad = app_client.post(page.rstrip("/") + "/edit", data={"title": "", "amount": "x"})
    assert bad.status_code == 400

    deleted = app_client.post(page.rstrip("/") + "/delete")
    assert deleted.status_code in (302, 303)
    assert app_client.get(page).status_code == 404
    assert renamed not in app_client.get("/").text


def test_owner_updates_and_deletes_through_the_api(app_client: httpx.Client) -> None:
    expense = new_expense(app_client, "blake")
    patched = app_client.patch(expense["url"], json={"amount": "9.99", "note": "receipt lost"})
    assert patched.status_code == 200
    body = patched.json()
    assert body["amount"] == "9.99" and body["note"] == "receipt lost"
    assert body["title"] == expense["title"]
    assert app_client.get(expense["url"]).json()["amount"] == "9.99"

    for bad in [
        {"amount": "-3"},
        {"amount": [1]},
        {"category": "yachts"},
        {"title": 7},
        {"spent_on": "yesterday"},
        {"spent_on": None},
        {"note": {"a": 1}},
    ]:
        response = app_client.patch(expense["url"], json=bad)
        assert response.status_code == 400, f"PATCH {bad}: {response.status_code}"
    for body in ["[1, 2]", "not json", '"text"']:
        response = app_client.patch(
            expense["url"], content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400, f"PATCH {body!r}: {response.status_code}"

    assert app_client.delete(expense["url"]).status_code in (200, 204)
    assert app_client.get(expense["url"]).status_code == 404
    assert app_client.delete(expense["url"]).status_code == 404


def test_missing_expenses_give_404_everywhere(app_client: httpx.Client) -> None:
    sign_in(app_client, "alex")
    for expense_id in MISSING_IDS:
        for method, url in [
            ("GET", f"/api/expenses/{expense_id}"),
            ("PATCH", f"/api/expenses/{expense_id}"),
            ("DELETE", f"/api/expenses/{expense_id}"),
            ("GET", f"/expenses/{expense_id}"),
            ("GET", f"/expenses/{expense_id}/edit"),
            ("POST", f"/expenses/{expense_id}/delete"),
            ("GET", f"/expenses/{expense_id}/receipt.txt"),
        ]:
            response = app_client.request(
                method, url, json={"note": "x"} if method == "PATCH" else None
            )
            assert response.status_code == 404, f"{method} {url}: {response.status_code}"
