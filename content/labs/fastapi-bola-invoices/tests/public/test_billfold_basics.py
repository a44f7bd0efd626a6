"""What Billfold does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app.
"""

ALEX = {"Authorization": "Bearer bf_alex_4e1f0a9c2b7d"}


def test_invoices_need_a_token(app_client):
    assert app_client.get("/invoices").status_code == 401


def test_alex_lists_and_reads_his_invoices(app_client):
    invoices = app_client.get("/invoices", headers=ALEX).json()
    numbers = [invoice["number"] for invoice in invoices]
    assert "ALEX-0042" in numbers
    first = invoices[0]
    assert app_client.get(f"/invoices/{first['id']}", headers=ALEX).json() == first
    pdf = app_client.get(f"/invoices/{first['id']}/pdf", headers=ALEX)
    assert pdf.headers["content-type"] == "application/pdf"


def test_alex_creates_changes_and_deletes_an_invoice(app_client):
    created = app_client.post(
        "/invoices",
        headers=ALEX,
        json={
            "number": "ALEX-0099",
            "client_name": "Pell Bakery",
            "description": "Menu boards",
            "amount": "180.00",
            "due_on": "2026-12-31",
        },
    )
    assert created.status_code == 201
    url = f"/invoices/{created.json()['id']}"
    assert app_client.patch(url, headers=ALEX, json={"status": "sent"}).json()["status"] == "sent"
    assert app_client.delete(url, headers=ALEX).status_code == 204
    assert app_client.get(url, headers=ALEX).status_code == 404
