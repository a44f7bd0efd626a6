"""Security checks: nobody can read, change or delete an expense that is not theirs.

Each check signs in as one person and goes after another person's expense through every door the
app has: the JSON API (GET, PATCH, DELETE), the expense page, its edit form (GET and POST), its
delete button and its claim slip, with the id spelled in every way the router accepts. The URLs
come from the owner's own list, so hiding ids behind random-looking tokens changes nothing: a URL
that leaks must still open nothing for anyone else. A refusal is a 403 or a 404 (a 401 or 405
also reach nothing); a 200, even an empty one, tells the caller the id exists or that it worked.
"""

from __future__ import annotations

import httpx
from conftest import (
    MORGAN_IDS,
    MORGAN_NOTE,
    MORGAN_OTHER,
    doors,
    new_expense,
    sign_in,
)

FORM = {
    "title": "Taken over",
    "amount": "1.00",
    "category": "meals",
    "spent_on": "2026-11-01",
    "note": "overwritten",
}
# The same number as the router may read it: zero-padded, and in full-width digits.
FULLWIDTH = {ord("0") + digit: 0xFF10 + digit for digit in range(10)}


def spellings(number: str) -> list[str]:
    return [number, f"00{number}", number.translate(FULLWIDTH)]


def assert_refused(response: httpx.Response, secrets: list[str], what: str) -> None:
    for secret in secrets:
        assert secret not in response.text, f"{what} showed another person's expense"
    assert response.status_code in (401, 403, 404, 405), f"{what} answered {response.status_code}"


def owner_still_has(client: httpx.Client, owner: str, expense: dict) -> None:
    """Read through the owner's list, so that a fix which also locks owners out of their own
    expense pages shows up as a functional failure, not as a security one."""
    sign_in(client, owner)
    listed = client.get("/api/expenses").json()["expenses"]
    mine = [row for row in listed if row["id"] == expense["id"]]
    assert mine, "the owner lost the expense to someone else's request"
    assert mine[0]["title"] == expense["title"] and mine[0]["note"] == expense["note"], (
        "someone else changed the owner's expense"
    )


def test_someone_elses_expense_is_not_shown(app_client, blakes_expense, lab_flag) -> None:
    expense, page = blakes_expense
    sign_in(app_client, "alex")
    for method, url in doors(expense, page):
        response = app_client.request(method, url)
        assert_refused(response, [expense["note"], expense["title"], lab_flag], f"{method} {url}")


def test_someone_elses_expense_cannot_be_changed(app_client, blakes_expense, lab_flag) -> None:
    expense, page = blakes_expense
    sign_in(app_client, "alex")
    for change in [{"note": "overwritten"}, {}, {"amount": "1.00", "title": "Taken over"}]:
        response = app_client.patch(expense["url"], json=change)
        assert_refused(response, [expense["note"], lab_flag], f"PATCH {expense['url']} {change}")
    response = app_client.post(page.rstrip("/") + "/edit", data=FORM)
    assert_refused(response, [expense["note"], lab_flag], "POST to the edit form")
    owner_still_has(app_client, "blake", expense)


def test_someone_elses_expense_cannot_be_deleted(app_client, blakes_expense, lab_flag) -> None:
    expense, page = blakes_expense
    sign_in(app_client, "alex")
    response = app_client.delete(expense["url"])
    assert_refused(response, [expense["note"], lab_flag], f"DELETE {expense['url']}")
    response = app_client.post(page.rstrip("/") + "/delete")
    assert_refused(response, [expense["note"], lab_flag], "POST to the delete button")
    owner_still_has(app_client, "blake", expense)


def test_every_spelling_of_an_id_is_checked(app_client, lab_flag) -> None:
    for username in ["alex", "blake"]:
        sign_in(app_client, username)
        for number in MORGAN_IDS:
            for spelled in spellings(number):
                for url in [
                    f"/api/expenses/{spelled}",
                    f"/expenses/{spelled}",
                    f"/expenses/{spelled}/edit",
                    f"/expenses/{spelled}/receipt.txt",
                ]:
                    response = app_client.get(url)
                    assert_refused(response, [MORGAN_NOTE, MORGAN_OTHER, lab_flag], f"GET {url}")
                response = app_client.patch(f"/api/expenses/{spelled}", json={})
                assert_refused(response, [MORGAN_NOTE, lab_flag], f"PATCH id {spelled!r}")


def test_no_expense_of_another_person_leaks_by_its_number(app_client, lab_flag) -> None:
    """Walk the first ids as Alex: only Alex's own expenses may open."""
    mine = new_expense(app_client, "alex")
    own_ids = {str(row["id"]) for row in app_client.get("/api/expenses").json()["expenses"]}
    assert str(mine["id"]) in own_ids
    for number in range(1, 15):
        if str(number) in own_ids:
            continue
        for url in [
            f"/api/expenses/{number}",
            f"/expenses/{number}",
            f"/expenses/{number}/receipt.txt",
        ]:
            response = app_client.get(url)
            assert_refused(response, [MORGAN_NOTE, MORGAN_OTHER, lab_flag], f"GET {url}")


def test_signed_out_visitors_reach_no_expense(app_client, blakes_expense, lab_flag) -> None:
    expense, page = blakes_expense
    app_client.cookies.clear()
    for method, url in [
        *doors(expense, page),
        ("PATCH", expense["url"]),
        ("DELETE", expense["url"]),
        ("GET", "/api/expenses/3"),
    ]:
        response = app_client.request(method, url, json={} if method == "PATCH" else None)
        assert response.status_code in (302, 303, 401, 403, 404, 405), f"{method} {url}"
        assert expense["note"] not in response.text and lab_flag not in response.text
    owner_still_has(app_client, "blake", expense)


def test_a_forged_session_cookie_is_refused(app_client, lab_flag) -> None:
    app_client.cookies.clear()
    app_client.cookies.set("session", "eyJ1c2VyX2lkIjoyfQ.Z0000.forged", domain="localhost")
    response = app_client.get("/api/expenses/3")
    assert response.status_code in (302, 401, 403, 404)
    assert lab_flag not in response.text and MORGAN_NOTE not in response.text
