"""What Tallybook does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app.
"""


def login(app_client, username, password):
    response = app_client.post("/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_ben_logs_in_and_sees_his_expenses(app_client):
    ben = login(app_client, "ben", "ledger-ben-2026")
    assert app_client.get("/api/me", headers=ben).json()["username"] == "ben"
    expenses = app_client.get("/api/expenses", headers=ben).json()["expenses"]
    assert {row["owner"] for row in expenses} == {"ben"}


def test_ben_adds_an_expense(app_client):
    ben = login(app_client, "ben", "ledger-ben-2026")
    body = {"description": "Taxi to the airport", "amount_cents": 4200, "category": "travel"}
    created = app_client.post("/api/expenses", json=body, headers=ben)
    assert created.status_code == 201
    listed = app_client.get("/api/expenses", headers=ben).json()["expenses"]
    assert created.json()["id"] in [row["id"] for row in listed]


def test_requests_without_a_token_are_refused(app_client):
    assert app_client.get("/api/me").status_code == 401


def test_the_shared_board_loads_its_totals(app_client):
    page = app_client.get("/share/kitchen-screen")
    assert page.status_code == 200
    token = page.text.split('data-token="')[1].split('"')[0]
    summary = app_client.get("/api/board/summary", headers={"Authorization": f"Bearer {token}"})
    assert summary.status_code == 200
    assert set(summary.json()["totals_cents"]) == {"travel", "meals", "equipment", "software"}
