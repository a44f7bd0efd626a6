"""Security checks: no traveller can see, change or delete another traveller's trip.

Each check signs in as one traveller and goes after another's trip through every view that takes
a pk: the trip page, the edit form (GET and POST), the delete page (GET and POST), the calendar
file and the JSON API, with the pk spelled as the URL converter accepts it. The URLs come from the
owner's own list. A refusal is a 403 or a 404 (a redirect to the sign-in page or a 405 also shows
nothing); a 200 shows the trip or tells the caller it exists.
"""

from __future__ import annotations

import httpx
from conftest import (
    MORGAN_IDS,
    MORGAN_TEXTS,
    doors,
    listed_urls,
    new_trip,
    post_form,
    sign_in,
    trip_form,
)


def assert_refused(response: httpx.Response, secrets: list[str], what: str) -> None:
    for secret in secrets:
        if secret:
            assert secret not in response.text, f"{what} showed another traveller's trip"
    assert response.status_code in (302, 401, 403, 404, 405), (
        f"{what} answered {response.status_code}"
    )
    if response.status_code == 302:
        assert "/accounts/login/" in response.headers["location"], f"{what} redirected elsewhere"


def owner_still_has(client: httpx.Client, data: dict[str, str], page: str) -> None:
    """Read through the owner's list, so that a fix which locks owners out of their own trip
    pages shows up as a functional failure, not as a security one."""
    sign_in(client, "blake")
    rows = client.get("/api/trips/").json()["trips"]
    mine = [row for row in rows if page.rstrip("/").endswith(f"/{row['id']}")]
    assert mine, "the owner lost the trip to another traveller's request"
    assert mine[0]["title"] == data["title"] and mine[0]["notes"] == data["notes"], (
        "another traveller changed the owner's trip"
    )


def secrets_of(data: dict[str, str]) -> list[str]:
    return [data["title"], data["destination"], data["notes"]]


def test_another_travellers_trip_is_not_shown(app_client, blakes_trip, lab_flag) -> None:
    data, page = blakes_trip
    sign_in(app_client, "alex")
    for url in doors(page):
        assert_refused(app_client.get(url), [*secrets_of(data), lab_flag], f"GET {url}")


def test_another_travellers_trip_cannot_be_edited(app_client, blakes_trip, lab_flag) -> None:
    data, page = blakes_trip
    sign_in(app_client, "alex")
    url = page.rstrip("/") + "/edit/"
    for form in [trip_form(title="Taken over"), trip_form(starts_on="later")]:
        response = post_form(app_client, url, form)
        assert_refused(response, [*secrets_of(data), lab_flag], f"POST {url}")
    owner_still_has(app_client, data, page)


def test_another_travellers_trip_cannot_be_deleted(app_client, blakes_trip, lab_flag) -> None:
    data, page = blakes_trip
    sign_in(app_client, "alex")
    url = page.rstrip("/") + "/delete/"
    response = post_form(app_client, url)
    assert_refused(response, [*secrets_of(data), lab_flag], f"POST {url}")
    owner_still_has(app_client, data, page)


def test_every_spelling_of_a_pk_is_checked(app_client, lab_flag) -> None:
    for username in ["alex", "blake"]:
        sign_in(app_client, username)
        for number in MORGAN_IDS:
            for spelled in [number, f"0{number}", f"000{number}"]:
                for url in doors(f"/trips/{spelled}/"):
                    response = app_client.get(url)
                    assert_refused(response, [*MORGAN_TEXTS, lab_flag], f"GET {url}")


def test_walking_through_pks_opens_only_your_own(app_client, lab_flag) -> None:
    _, mine = new_trip(app_client, "alex")
    own = set(listed_urls(app_client))
    last = int(mine.rstrip("/").rsplit("/", 1)[-1])
    for number in range(1, last + 3):
        page = f"/trips/{number}/"
        if page in own:
            continue
        for url in doors(page):
            response = app_client.get(url)
            assert_refused(
                response, [*MORGAN_TEXTS, "Copenhagen design week", lab_flag], f"GET {url}"
            )


def test_signed_out_visitors_reach_no_trip(app_client, blakes_trip, lab_flag) -> None:
    data, page = blakes_trip
    app_client.cookies.clear()
    for url in [*doors(page), "/api/trips/3/"]:
        assert_refused(app_client.get(url), [*secrets_of(data), lab_flag], f"GET {url}")
    # Without a session there is no CSRF cookie either: Django refuses the POST with a 403.
    for url in [page.rstrip("/") + "/edit/", page.rstrip("/") + "/delete/"]:
        response = app_client.post(url, data=trip_form(title="Taken over"))
        assert_refused(response, [*secrets_of(data), lab_flag], f"POST {url}")
    owner_still_has(app_client, data, page)
