"""What Corkboard does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app. The sandbox has no internet:
news.example, blog.example and go.example are served by corkboard/platform.py's simulator.
"""

ARTICLE = "http://news.example/2026/11/ferry-timetable"


def test_preview_of_a_news_article(app_client):
    response = app_client.post("/api/preview", json={"url": ARTICLE})
    assert response.status_code == 200
    card = response.json()
    assert card["title"] == "New ferry timetable from December"
    assert card["description"].startswith("The harbour ferry runs every 20 minutes")


def test_preview_follows_a_short_link(app_client):
    response = app_client.post("/api/preview", json={"url": "http://go.example/ferry"})
    assert response.status_code == 200
    assert response.json()["final_url"] == ARTICLE


def test_pinning_a_note_with_a_link(app_client):
    note = {"author": "Ines", "text": "Ferry times change!", "link": ARTICLE}
    response = app_client.post("/api/notes", json=note)
    assert response.status_code == 201
    assert response.json()["preview"]["title"] == "New ferry timetable from December"
    assert "New ferry timetable from December" in app_client.get("/").text
