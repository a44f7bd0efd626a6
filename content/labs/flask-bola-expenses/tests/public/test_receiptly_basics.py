"""What Receiptly does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app.
"""


def sign_in(client, username, password):
    client.cookies.clear()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302


def test_the_list_needs_a_sign_in(app_client):
    assert app_client.get("/api/expenses").status_code == 401
    assert app_client.get("/").status_code == 302


def test_alex_sees_his_expenses(app_client):
    sign_in(app_client, "alex", "receipts-alex-2026")
    page = app_client.get("/")
    assert page.status_code == 200
    assert "Train to Leeds, client workshop" in page.text
    expenses = app_client.get("/api/expenses").json()["expenses"]
    taxi = next(row for row in expenses if row["title"] == "Taxi from the station")
    assert app_client.get(taxi["url"]).json()["amount"] == "18.75"


def test_blake_files_changes_and_deletes_an_expense(app_client):
    sign_in(app_client, "blake", "receipts-blake-2026")
    created = app_client.post(
        "/api/expenses",
        json={"title": "Cab", "amount": "12.40", "category": "travel", "spent_on": "2026-11-04"},
    )
    assert created.status_code == 201
    url = created.json()["url"]
    assert app_client.patch(url, json={"note": "late meeting"}).json()["note"] == "late meeting"
    assert app_client.get(f"/expenses/{created.json()['id']}").status_code == 200
    assert app_client.delete(url).status_code == 204
    assert app_client.get(url).status_code == 404
