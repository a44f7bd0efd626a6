"""Security checks: no account can read, print, change or delete another account's invoice.

Each check calls Billfold with one account's token and goes after another account's invoice through
every route that takes an id (GET, the PDF, PATCH, DELETE), with the id spelled in every way
FastAPI's int parsing accepts. A refusal is a 403 or a 404 (a 401, 405 or 422 also reach nothing);
a 200, even an empty or trimmed one, tells the caller the invoice exists or that the change worked.
"""

from __future__ import annotations

import httpx
from conftest import MORGAN_IDS, MORGAN_TEXTS, auth, new_invoice, secrets_of, unique


def spellings(number: str) -> list[str]:
    """The same id as FastAPI reads it: padded, signed, as a float, and with spaces around."""
    return [number, f"00{number}", f"+{number}", f"{number}.0", f" {number}", f"{number} "]


def assert_refused(response: httpx.Response, secrets: list[str], what: str) -> None:
    for secret in secrets:
        if secret:
            assert secret not in response.text, f"{what} showed another account's invoice"
            assert secret.encode() not in response.content, f"{what} leaked it in the body"
    assert response.status_code in (401, 403, 404, 405, 422), (
        f"{what} answered {response.status_code}"
    )


def owner_still_has(client: httpx.Client, invoice: dict) -> None:
    """Read through the owner's list, which no fix here touches, so a broken owner check on the
    detail route shows up as a functional failure, not as a security one."""
    listed = client.get("/invoices", headers=auth("blake")).json()
    mine = [row for row in listed if row["id"] == invoice["id"]]
    assert mine, "the owner lost the invoice to another account's request"
    assert mine[0] == invoice, "another account changed the owner's invoice"


def test_another_accounts_invoice_is_not_shown(app_client, blakes_invoice, lab_flag) -> None:
    url = f"/invoices/{blakes_invoice['id']}"
    for path in [url, f"{url}/pdf"]:
        response = app_client.get(path, headers=auth("alex"))
        assert_refused(response, [*secrets_of(blakes_invoice), lab_flag], f"GET {path}")


def test_another_accounts_invoice_cannot_be_changed(app_client, blakes_invoice, lab_flag) -> None:
    url = f"/invoices/{blakes_invoice['id']}"
    for change in [{}, {"status": "paid"}, {"notes": unique("taken over")}, {"amount": "1.00"}]:
        response = app_client.patch(url, json=change, headers=auth("alex"))
        assert_refused(response, [*secrets_of(blakes_invoice), lab_flag], f"PATCH {change}")
    owner_still_has(app_client, blakes_invoice)


def test_another_accounts_invoice_cannot_be_deleted(app_client, blakes_invoice, lab_flag) -> None:
    url = f"/invoices/{blakes_invoice['id']}"
    response = app_client.delete(url, headers=auth("alex"))
    assert_refused(response, [*secrets_of(blakes_invoice), lab_flag], f"DELETE {url}")
    owner_still_has(app_client, blakes_invoice)


def test_every_spelling_of_an_id_is_checked(app_client, lab_flag) -> None:
    for username in ["alex", "blake"]:
        for number in MORGAN_IDS:
            for spelled in spellings(number):
                for path in [f"/invoices/{spelled}", f"/invoices/{spelled}/pdf"]:
                    response = app_client.get(path, headers=auth(username))
                    assert_refused(response, [*MORGAN_TEXTS, lab_flag], f"GET {path!r}")
                response = app_client.patch(f"/invoices/{spelled}", json={}, headers=auth(username))
                assert_refused(response, [*MORGAN_TEXTS, lab_flag], f"PATCH id {spelled!r}")


def test_walking_through_ids_opens_only_your_own(app_client, lab_flag) -> None:
    mine = new_invoice(app_client, "alex")
    own = {row["id"] for row in app_client.get("/invoices", headers=auth("alex")).json()}
    assert mine["id"] in own
    for number in range(1, mine["id"] + 3):
        if number in own:
            continue
        for path in [f"/invoices/{number}", f"/invoices/{number}/pdf"]:
            response = app_client.get(path, headers=auth("alex"))
            assert_refused(response, [*MORGAN_TEXTS, "BS-007", lab_flag], f"GET {path}")


def test_no_token_or_a_made_up_token_reaches_nothing(app_client, blakes_invoice, lab_flag) -> None:
    url = f"/invoices/{blakes_invoice['id']}"
    for headers in [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer bf_blake"},
        {"Authorization": "bf_blake_93c5d2e81a06"},
        {"X-Api-Key": "bf_blake_93c5d2e81a06"},
    ]:
        for method, path in [
            ("GET", url),
            ("GET", f"{url}/pdf"),
            ("PATCH", url),
            ("DELETE", url),
            ("GET", "/invoices/3"),
        ]:
            response = app_client.request(
                method, path, headers=headers, json={} if method == "PATCH" else None
            )
            assert_refused(response, [*secrets_of(blakes_invoice), lab_flag], f"{method} {path}")
    owner_still_has(app_client, blakes_invoice)


def test_patch_cannot_move_an_invoice_to_another_owner(app_client, lab_flag) -> None:
    invoice = new_invoice(app_client, "alex")
    url = f"/invoices/{invoice['id']}"
    for change in [{"owner_id": 3}, {"owner": 3}, {"id": 3}, {"owner_id": 3, "notes": "x"}]:
        response = app_client.patch(url, json=change, headers=auth("alex"))
        # 422 is the answer; a 404 here is a broken owner check, which the functional checks see.
        assert response.status_code in (400, 404, 422), f"PATCH {change}: {response.status_code}"
    listed = app_client.get("/invoices", headers=auth("alex")).json()
    assert [row for row in listed if row["id"] == invoice["id"]] == [invoice]
    assert lab_flag not in app_client.get("/invoices/3", headers=auth("alex")).text
