"""Functional checks: all that the search, the book pages and the API did before still works."""

from __future__ import annotations

import json
from decimal import Decimal

# The shop's stock: title, author, year, price, category slug.
CATALOGUE = [
    ("Pride and Prejudice", "Jane Austen", 1813, "6.99", "fiction"),
    ("Wuthering Heights", "Emily Brontë", 1847, "7.49", "fiction"),
    ("Jane Eyre", "Charlotte Brontë", 1847, "7.99", "fiction"),
    ("The Hobbit", "J. R. R. Tolkien", 1937, "9.99", "fiction"),
    ("Nineteen Eighty-Four", "George Orwell", 1949, "8.99", "fiction"),
    ("Things Fall Apart", "Chinua Achebe", 1958, "9.49", "fiction"),
    ("One Hundred Years of Solitude", "Gabriel García Márquez", 1967, "10.99", "fiction"),
    ("The Murder of Roger Ackroyd", "Agatha Christie", 1926, "8.49", "crime"),
    ("Murder on the Orient Express", "Agatha Christie", 1934, "8.79", "crime"),
    ("The Big Sleep", "Raymond Chandler", 1939, "9.29", "crime"),
    ("The Harbour Lights", "Siobhán O'Reilly", 2019, "12.99", "crime"),
    ("A Brief History of Time", "Stephen Hawking", 1988, "11.49", "science"),
    ("The Selfish Gene", "Richard Dawkins", 1976, "10.49", "science"),
    ("Cosmos", "Carl Sagan", 1980, "13.99", "science"),
    ("Salt, Fat, Acid, Heat", "Samin Nosrat", 2017, "25.00", "cookery"),
    ("50% Less Sugar: Everyday Baking", "Hannah Whitlock", 2022, "16.99", "cookery"),
    ("Café Lisboa: Recipes from a Corner Kitchen", "Inês Duarte", 2020, "22.50", "cookery"),
    (
        "Structure and Interpretation of Computer Programs",
        "Harold Abelson & Gerald Jay Sussman",
        1985,
        "54.99",
        "computing",
    ),
    ("The Pragmatic Programmer", "Andrew Hunt & David Thomas", 1999, "39.99", "computing"),
    ("Python Style Matters: snake_case and Beyond", "Priya Raman", 2021, "29.99", "computing"),
    ("Ariel", "Sylvia Plath", 1965, "10.00", "poetry"),
    ("The Waste Land", "T. S. Eliot", 1922, "5.99", "poetry"),
    ("SPQR: A History of Ancient Rome", "Mary Beard", 2015, "14.99", "history"),
    ("The Silk Roads", "Peter Frankopan", 2015, "15.49", "history"),
    ("Walking the Pennines: 50 Day Routes", "Tom Askew", 2018, "18.50", "travel"),
]
BY_TITLE = {book[0]: book for book in CATALOGUE}


def titles_where(predicate) -> set[str]:
    return {book[0] for book in CATALOGUE if predicate(book)}


def test_catalogue_lists_every_book_by_title(search_page, search_api):
    expected = sorted(BY_TITLE)
    for search in (search_page, search_api):
        results = search()
        assert results.status == 200, results.via
        assert results.titles == expected, results.via
    page = search_page()
    assert f"{len(CATALOGUE)} books found" in page.body


def test_search_matches_title_or_author_in_any_case(search_page, search_api):
    cases = {
        "orient": {"Murder on the Orient Express"},
        "AGATHA christie": {"The Murder of Roger Ackroyd", "Murder on the Orient Express"},
        "hobbit": {"The Hobbit"},
        "history": {"A Brief History of Time", "SPQR: A History of Ancient Rome"},
        "Dawkins": {"The Selfish Gene"},
    }
    for term, expected in cases.items():
        for search in (search_page, search_api):
            results = search(q=term)
            assert results.status == 200, (results.via, term)
            assert set(results.titles) == expected, (results.via, term)


def test_search_finds_accents_and_punctuation(search_page, search_api):
    cases = {
        "Brontë": {"Wuthering Heights", "Jane Eyre"},
        "García Márquez": {"One Hundred Years of Solitude"},
        "Café": {"Café Lisboa: Recipes from a Corner Kitchen"},
        "Inês": {"Café Lisboa: Recipes from a Corner Kitchen"},
        "Eighty-Four": {"Nineteen Eighty-Four"},
        "Salt, Fat": {"Salt, Fat, Acid, Heat"},
        "SPQR: A History": {"SPQR: A History of Ancient Rome"},
        "Hunt & David": {"The Pragmatic Programmer"},
    }
    for term, expected in cases.items():
        for search in (search_page, search_api):
            results = search(q=term)
            assert results.status == 200, (results.via, term)
            assert set(results.titles) == expected, (results.via, term)


def test_search_finds_percent_and_underscore_terms(search_page, search_api):
    for term, wanted in [
        ("50%", "50% Less Sugar: Everyday Baking"),
        ("50% Less", "50% Less Sugar: Everyday Baking"),
        ("snake_case", "Python Style Matters: snake_case and Beyond"),
    ]:
        for search in (search_page, search_api):
            results = search(q=term)
            assert results.status == 200, (results.via, term)
            assert wanted in results.titles, (results.via, term)


def test_search_with_no_matches_says_so(search_page, search_api):
    page = search_page(q="xylophone")
    assert page.status == 200
    assert page.ids == []
    assert "0 books found" in page.body
    assert "No books match your search" in page.body
    api = search_api(q="xylophone")
    assert api.status == 200
    assert api.ids == []
    assert json.loads(api.body)["count"] == 0


def test_category_filter_narrows_results(search_page, search_api):
    for search in (search_page, search_api):
        crime = search(category="crime")
        assert crime.status == 200
        assert set(crime.titles) == titles_where(lambda b: b[4] == "crime"), crime.via
        christie = search(category="crime", q="christie")
        assert set(christie.titles) == titles_where(lambda b: b[1] == "Agatha Christie")
        assert search(category="poetry", q="christie").titles == []
        assert search(category="no-such-category").titles == []
    page = search_page(category="poetry")
    assert '<option value="poetry" selected>Poetry</option>' in page.body


def test_max_price_filter_keeps_books_at_or_under_the_limit(search_page, search_api):
    for limit in ["9", "10", "10.00", "7.5", "0"]:
        expected = {title for title, *_, price, _ in CATALOGUE if Decimal(price) <= Decimal(limit)}
        for search in (search_page, search_api):
            results = search(max_price=limit)
            assert results.status == 200, (results.via, limit)
            assert set(results.titles) == expected, (results.via, limit)
    cheap_fiction = search_api(max_price="8.50", category="fiction")
    assert set(cheap_fiction.titles) == {"Pride and Prejudice", "Wuthering Heights", "Jane Eyre"}
    cheap_christie = search_api(max_price="8.50", q="Christie")
    assert cheap_christie.titles == ["The Murder of Roger Ackroyd"]


SORT_KEYS = {
    "title": lambda b: b[0],
    "author": lambda b: (b[1], b[0]),
    "price": lambda b: (Decimal(b[3]), b[0]),
    "-price": lambda b: (-Decimal(b[3]), b[0]),
    "-year": lambda b: (-b[2], b[0]),
}


def test_every_sort_option_orders_results(search_page, search_api):
    for sort, key in SORT_KEYS.items():
        expected = [book[0] for book in sorted(CATALOGUE, key=key)]
        for search in (search_page, search_api):
            results = search(sort=sort)
            assert results.status == 200, (results.via, sort)
            assert results.titles == expected, (results.via, sort)
        computing = [t for t in expected if BY_TITLE[t][4] == "computing"]
        assert search_api(sort=sort, category="computing").titles == computing, sort
    page = search_page(sort="-price")
    assert '<option value="-price" selected>Price, high to low</option>' in page.body


def test_api_returns_each_books_details(app_client):
    response = app_client.get("/api/books/", params={"q": "Harbour"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["count"] == 1
    (book,) = data["results"]
    assert book["title"] == "The Harbour Lights"
    assert book["author"] == "Siobhán O'Reilly"
    assert book["year"] == 2019
    assert book["price"] == "12.99"
    assert book["category"] == {"slug": "crime", "name": "Crime"}
    assert book["url"] == f"/books/{book['id']}/"
    everything = app_client.get("/api/books/").json()
    assert everything["count"] == len(everything["results"]) == len(CATALOGUE)
    prices = {row["title"]: row["price"] for row in everything["results"]}
    assert prices == {title: book[3] for title, book in BY_TITLE.items()}


def test_book_detail_page_shows_the_book(app_client):
    rows = app_client.get("/api/books/", params={"q": "Ariel"}).json()["results"]
    (ariel,) = rows
    response = app_client.get(ariel["url"])
    assert response.status_code == 200
    for text in ["<h1>Ariel</h1>", "Sylvia Plath", "1965", "£10.00", "Poetry", "late poems"]:
        assert text in response.text
    page = app_client.get("/", params={"q": "Ariel"}).text
    assert f'href="/books/{ariel["id"]}/"' in page
    assert app_client.get("/books/99999/").status_code == 404
