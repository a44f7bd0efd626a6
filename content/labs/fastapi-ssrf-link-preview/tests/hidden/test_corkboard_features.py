"""Functional checks: the previews, notes and the board work as the brief promises."""

from __future__ import annotations

from conftest import ARTICLE, ARTICLE_TITLE


def preview(app_client, url):
    return app_client.post("/api/preview", json={"url": url})


def test_previews_of_public_pages(app_client):
    news = preview(app_client, ARTICLE)
    assert news.status_code == 200
    assert news.json() == {
        "url": ARTICLE,
        "final_url": ARTICLE,
        "title": ARTICLE_TITLE,
        "description": "The harbour ferry runs every 20 minutes from 1 December.",
        "excerpt": news.json()["excerpt"],
    }
    assert "also on Sundays" in news.json()["excerpt"]
    blog = preview(app_client, "https://blog.example/posts/hello")
    assert blog.status_code == 200
    assert blog.json()["title"] == "Hello from the studio blog"
    home = preview(app_client, "http://news.example:80/")
    assert home.status_code == 200
    assert home.json()["title"] == "Harbour News"
    upper = preview(app_client, "http://NEWS.example/2026/11/ferry-timetable?utm=x#top")
    assert upper.status_code == 200
    assert upper.json()["title"] == ARTICLE_TITLE


def test_short_links_are_followed(app_client):
    for url in [
        "http://go.example/ferry",
        f"http://go.example/r?to={ARTICLE}",
        "http://go.example/r?to=http://go.example/ferry",
    ]:
        response = preview(app_client, url)
        assert response.status_code == 200, url
        assert response.json()["final_url"] == ARTICLE
        assert response.json()["title"] == ARTICLE_TITLE


def test_links_that_cannot_be_previewed_get_an_error(app_client):
    assert preview(app_client, "http://nowhere.example/").status_code in {400, 422, 502}
    assert preview(app_client, "ftp://news.example/file").status_code in {400, 422}
    assert app_client.post("/api/preview", json={}).status_code == 422


def test_pinning_notes(app_client):
    with_link = {"author": "Ines", "text": "Read this", "link": "http://go.example/ferry"}
    created = app_client.post("/api/notes", json=with_link)
    assert created.status_code == 201
    assert created.json()["preview"]["title"] == ARTICLE_TITLE
    plain = app_client.post("/api/notes", json={"author": "Sam", "text": "Cake in the kitchen"})
    assert plain.status_code == 201
    assert plain.json()["preview"] is None
    broken = {"author": "Sam", "text": "Dead link", "link": "http://nowhere.example/"}
    dead = app_client.post("/api/notes", json=broken)
    assert dead.status_code == 201
    assert dead.json()["preview"] is None
    notes = app_client.get("/api/notes").json()["notes"]
    ids = [note["id"] for note in notes]
    assert ids == sorted(ids, reverse=True)
    assert {created.json()["id"], plain.json()["id"], dead.json()["id"]} <= set(ids)
    assert app_client.post("/api/notes", json={"author": "Sam"}).status_code == 422


def test_the_board_shows_notes_and_cards(app_client):
    app_client.post("/api/notes", json={"author": "Ines", "text": "Ferry!", "link": ARTICLE})
    page = app_client.get("/")
    assert page.status_code == 200
    assert "Harbour Street Studio notice board" in page.text
    assert "Fire drill on Thursday" in page.text
    assert ARTICLE_TITLE in page.text


def test_health_check(app_client):
    assert app_client.get("/healthz").json() == {"status": "ok"}
