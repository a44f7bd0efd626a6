"""Functional checks: every account keeps full use of its own invoices after the fix."""

from __future__ import annotations

import httpx
from conftest import auth, new_invoice, unique


def test_requests_without_a_valid_token_get_401(app_client: httpx.Client) -> None:
    for headers in [{}, {"Authorization": "Bearer bf_nope"}, {"Authorization": "Basic YTpi"}]:
        for url in ["/me", "/invoices", "/invoices/1", "/invoices/1/pdf"]:
            response = app_client.get(url, headers=headers)
            assert response.status_code == 401, f"{url} with {headers}: {response.status_code}"
    me = app_client.get("/me", headers=auth("alex"))
    assert me.status_code == 200 and me.json()["email"] == "alex@billfold.test"


def test_list_shows_only_the_callers_invoices(app_client: httpx.Client) -> None:
    alex = app_client.get("/invoices", headers=auth("alex"))
    assert alex.status_code == 200
    numbers = [row["number"] for row in alex.json()]
    assert {"ALEX-0041", "ALEX-0042", "ALEX-0043"} <= set(numbers)
    assert not [n for n in numbers if not n.startswith("ALEX")]
    blake = [row["number"] for row in app_client.get("/invoices", headers=auth("blake")).json()]
    assert "BS-007" in blake and not [n for n in blake if not n.startswith(("BS", "BLAKE"))]


def test_owner_reads_their_invoice_and_its_pdf(app_client: httpx.Client) -> None:
    invoice = new_invoice(app_client, "alex", amount="1234.50", notes="Bank: 12-34-56")
    got = app_client.get(f"/invoices/{invoice['id']}", headers=auth("alex"))
    assert got.status_code == 200
    assert got.json() == invoice
    assert got.json()["amount"] in ("1234.50", "1234.5")
    pdf = app_client.get(f"/invoices/{invoice['id']}/pdf", headers=auth("alex"))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    for text in [invoice["number"], invoice["client_name"], "GBP 1,234.50", "Bank: 12-34-56"]:
        assert text.encode() in pdf.content, f"{text!r} is not in the PDF"
    seeded = next(
        row
        for row in app_client.get("/invoices", headers=auth("alex")).json()
        if row["number"] == "ALEX-0042"
    )
    assert app_client.get(f"/invoices/{seeded['id']}", headers=auth("alex")).json() == seeded


def test_owner_updates_and_deletes_their_invoice(app_client: httpx.Client) -> None:
    invoice = new_invoice(app_client, "blake")
    url = f"/invoices/{invoice['id']}"
    note = unique("Paid by transfer")
    patched = app_client.patch(url, json={"status": "paid", "notes": note}, headers=auth("blake"))
    assert patched.status_code == 200
    assert patched.json()["status"] == "paid" and patched.json()["notes"] == note
    assert patched.json()["client_name"] == invoice["client_name"]
    assert app_client.get(url, headers=auth("blake")).json()["notes"] == note

    assert app_client.delete(url, headers=auth("blake")).status_code in (200, 204)
    assert app_client.get(url, headers=auth("blake")).status_code == 404
    assert invoice["id"] not in [
        row["id"] for row in app_client.get("/invoices", headers=auth("blake")).json()
    ]


def test_invalid_input_is_refused_with_422(app_client: httpx.Client) -> None:
    invoice = new_invoice(app_client, "alex")
    url = f"/invoices/{invoice['id']}"
    for body in [
        {"amount": "-5"},
        {"amount": "lots"},
        {"status": "lost"},
        {"currency": "XYZ"},
        {"due_on": "soon"},
        {"notes": None},
        {"client_name": ["x"]},
        {"owner_id": 2},
        [1, 2],
        "text",
    ]:
        response = app_client.patch(url, json=body, headers=auth("alex"))
        assert response.status_code == 422, f"PATCH {body!r}: {response.status_code}"
    response = app_client.post("/invoices", json={"number": "X"}, headers=auth("alex"))
    assert response.status_code == 422
    assert app_client.get(url, headers=auth("alex")).json() == invoice


def test_missing_invoices_give_404_and_bad_ids_422(app_client: httpx.Client) -> None:
    for invoice_id in ["999999", "4242424242"]:
        for method in ["GET", "PATCH", "DELETE"]:
            response = app_client.request(
                method,
                f"/invoices/{invoice_id}",
                headers=auth("alex"),
                json={"notes": "x"} if method == "PATCH" else None,
            )
            assert response.status_code == 404, f"{method} {invoice_id}: {response.status_code}"
        response = app_client.get(f"/invoices/{invoice_id}/pdf", headers=auth("alex"))
        assert response.status_code == 404
    for invoice_id in ["abc", "0", "-3", "1.5", "99999999999999999999999"]:
        response = app_client.get(f"/invoices/{invoice_id}", headers=auth("alex"))
        assert response.status_code in (404, 422), f"id {invoice_id!r}: {response.status_code}"
