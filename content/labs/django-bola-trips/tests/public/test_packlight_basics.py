"""What Packlight does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app.
"""

import re


def sign_in(client, username, password):
    form = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_trips_need_a_sign_in(app_client):
    assert app_client.get("/").status_code == 302
    assert app_client.get("/api/trips/").status_code == 401


def test_alex_sees_his_trips(app_client):
    sign_in(app_client, "alex", "packlight-alex-2026")
    assert "Easter in Porto" in app_client.get("/").text
    trips = app_client.get("/api/trips/").json()["trips"]
    porto = next(trip for trip in trips if trip["title"] == "Easter in Porto")
    assert app_client.get(f"/trips/{porto['id']}/").status_code == 200
    assert app_client.get(porto["url"]).json()["destination"] == "Porto, Portugal"


def test_blake_plans_edits_and_deletes_a_trip(app_client):
    sign_in(app_client, "blake", "packlight-blake-2026")
    form = {
        "title": "Ski week",
        "destination": "Chamonix, France",
        "starts_on": "2027-01-09",
        "ends_on": "2027-01-16",
        "notes": "",
        "csrfmiddlewaretoken": app_client.cookies["csrftoken"],
    }
    created = app_client.post("/trips/new/", data=form)
    assert created.status_code == 302
    page = created.headers["location"]
    assert app_client.post(page + "edit/", data={**form, "notes": "Skis hired"}).status_code == 302
    assert "Skis hired" in app_client.get(page).text
    delete = app_client.post(
        page + "delete/", data={"csrfmiddlewaretoken": form["csrfmiddlewaretoken"]}
    )
    assert delete.status_code == 302
    assert app_client.get(page).status_code == 404
