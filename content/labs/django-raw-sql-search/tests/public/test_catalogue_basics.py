"""What the shop does today. Run these after your fix: they should all still pass.

`app_client` is an httpx.Client that talks to your running app.
"""


def test_search_page_lists_the_whole_catalogue(app_client):
    response = app_client.get("/")
    assert response.status_code == 200
    assert "25 books found" in response.text
    assert "Wuthering Heights" in response.text


def test_search_by_title_or_author(app_client):
    by_title = app_client.get("/api/books/", params={"q": "orient express"}).json()
    assert [book["title"] for book in by_title["results"]] == ["Murder on the Orient Express"]

    by_author = app_client.get("/api/books/", params={"q": "brontë"}).json()
    assert {book["title"] for book in by_author["results"]} == {"Jane Eyre", "Wuthering Heights"}


def test_filters_and_sorting_work_together(app_client):
    response = app_client.get(
        "/api/books/", params={"category": "crime", "max_price": "9", "sort": "-price"}
    )
    assert response.status_code == 200
    titles = [book["title"] for book in response.json()["results"]]
    assert titles == ["Murder on the Orient Express", "The Murder of Roger Ackroyd"]


def test_book_detail_page(app_client):
    results = app_client.get("/api/books/", params={"q": "hobbit"}).json()["results"]
    response = app_client.get(results[0]["url"])
    assert response.status_code == 200
    assert "<h1>The Hobbit</h1>" in response.text
    assert "£9.99" in response.text
    assert app_client.get("/books/99999/").status_code == 404
