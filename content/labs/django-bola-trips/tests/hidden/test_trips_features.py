"""Functional checks: every traveller keeps full use of their own trips after the fix."""

from __future__ import annotations

import httpx
from conftest import doors, listed_urls, new_trip, post_form, sign_in, trip_form, trip_id, unique


def test_sign_in_is_required_and_works(app_client: httpx.Client) -> None:
    page = app_client.get("/")
    assert page.status_code == 302 and "/accounts/login/" in page.headers["location"]
    assert app_client.get("/api/trips/").status_code == 401
    form = app_client.get("/accounts/login/")
    wrong = post_form(app_client, "/accounts/login/", {"username": "alex", "password": "nope"})
    assert form.status_code == 200 and wrong.status_code == 200
    assert "do not match" in wrong.text

    sign_in(app_client, "alex", fresh=True)
    assert app_client.get("/").status_code == 200
    assert post_form(app_client, "/accounts/logout/").status_code == 302
    assert app_client.get("/api/trips/").status_code == 401


def test_lists_show_the_travellers_own_trips(app_client: httpx.Client) -> None:
    sign_in(app_client, "alex")
    page = app_client.get("/")
    for title in ["Easter in Porto", "Lake District walk", "Berlin conference"]:
        assert title in page.text
    for title in ["Copenhagen design week", "Two weeks in Kyoto", "Sister&#x27;s wedding"]:
        assert title not in page.text
    api = app_client.get("/api/trips/")
    assert api.status_code == 200
    titles = {trip["title"] for trip in api.json()["trips"]}
    assert {"Easter in Porto", "Berlin conference"} <= titles
    assert not titles & {"Copenhagen design week", "Two weeks in Kyoto"}

    sign_in(app_client, "blake")
    titles = {trip["title"] for trip in app_client.get("/api/trips/").json()["trips"]}
    assert "Copenhagen design week" in titles and "Easter in Porto" not in titles


def test_owner_sees_their_trip_on_every_page(app_client: httpx.Client) -> None:
    data, page = new_trip(app_client, "alex", notes="Door code 4471, ring twice")
    assert page in listed_urls(app_client)
    for url in doors(page):
        response = app_client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        assert data["title"] in response.text, f"GET {url} does not show the trip"
    assert "Door code 4471" in app_client.get(page).text
    assert "Door code 4471" in app_client.get(page.rstrip("/") + "/edit/").text
    calendar = app_client.get(page.rstrip("/") + "/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20271001" in calendar.text and "Door code 4471" in calendar.text
    api = app_client.get(f"/api/trips/{trip_id(page)}/").json()
    assert (
        api["notes"] == "Door code 4471, ring twice" and api["destination"] == data["destination"]
    )


def test_owner_edits_and_deletes_their_trip(app_client: httpx.Client) -> None:
    _, page = new_trip(app_client, "blake")
    renamed = unique("Long weekend")
    edited = post_form(
        app_client, page.rstrip("/") + "/edit/", trip_form(title=renamed, notes="Bring boots")
    )
    assert edited.status_code == 302
    shown = app_client.get(page)
    assert renamed in shown.text and "Bring boots" in shown.text

    invalid = post_form(
        app_client,
        page.rstrip("/") + "/edit/",
        trip_form(starts_on="2027-10-05", ends_on="2027-10-01"),
    )
    assert invalid.status_code in (200, 400) and "cannot end before it starts" in invalid.text
    for bad in [{"starts_on": "someday"}, {"title": ""}, {"ends_on": "2027-02-30"}]:
        response = post_form(app_client, page.rstrip("/") + "/edit/", trip_form(**bad))
        assert response.status_code in (200, 400), f"{bad}: {response.status_code}"
    assert renamed in app_client.get(page).text

    deleted = post_form(app_client, page.rstrip("/") + "/delete/")
    assert deleted.status_code == 302
    assert app_client.get(page).status_code == 404
    assert page not in listed_urls(app_client)


def test_missing_trips_give_404_everywhere(app_client: httpx.Client) -> None:
    sign_in(app_client, "alex")
    for number in ["999999", "4242424242"]:
        page = f"/trips/{number}/"
        for url in doors(page):
            response = app_client.get(url)
            assert response.status_code == 404, f"GET {url}: {response.status_code}"
        for url in [f"{page}edit/", f"{page}delete/"]:
            response = post_form(app_client, url, trip_form())
            assert response.status_code == 404, f"POST {url}: {response.status_code}"
