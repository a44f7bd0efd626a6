"""Functional checks: every feature of the shop keeps working after the fix."""

from __future__ import annotations

from conftest import Page, post_api, post_form, script_object, unique

PLAIN = 'Fish & chips, 5 > 4 <3 "best" grinder, isn\'t it? 100% Zoë ☃'


def review_on(client, review_id: int):
    response = client.get(f"/reviews/{review_id}")
    assert response.status_code == 200
    return Page(response.text).reviews[review_id]


def test_products_are_listed_with_their_pages(app_client):
    response = app_client.get("/")

    assert response.status_code == 200
    for slug, name in [
        ("gooseneck-kettle", "Gooseneck kettle"),
        ("cold-brew-jar", "Cold brew jar"),
    ]:
        assert f'href="/products/{slug}"' in response.text
        page = app_client.get(f"/products/{slug}")
        assert page.status_code == 200
        assert name in page.text
    assert app_client.get("/products/no-such-thing").status_code == 404


def test_product_page_lists_reviews_newest_first_with_a_summary(app_client):
    older = post_api(app_client, product="cold-brew-jar", rating=2, body=unique("older "))
    newer = post_api(app_client, product="cold-brew-jar", name="Newest", body=unique("newer "))

    page = Page(app_client.get("/products/cold-brew-jar").text)

    ids = list(page.reviews)
    assert ids.index(newer) < ids.index(older)
    reviews = app_client.get("/api/products/cold-brew-jar/reviews").json()
    summary = script_object(page.scripts[0], "reviewSummary")
    assert summary["count"] == len(reviews)
    assert summary["latest"] == "Newest"
    assert summary["average"] == round(sum(r["rating"] for r in reviews) / len(reviews), 1)


def test_posting_a_review_through_the_form(app_client):
    body = unique("Grinds evenly. ")

    review_id = post_form(app_client, name="Marta", rating=5, title="Lovely", body=body)

    shown = review_on(app_client, review_id)
    assert shown.texts == {"title": "Lovely", "body": body, "name": "Marta"}
    assert review_id in Page(app_client.get("/products/hand-grinder").text).reviews


def test_form_refuses_invalid_reviews(app_client):
    body = unique("nameless ")
    cases = [
        ({"name": "", "rating": "4", "title": "t", "body": body}, "name"),
        ({"name": "A", "rating": "6", "title": "t", "body": body}, "rating"),
        ({"name": "A", "rating": "4", "title": "", "body": body}, "title"),
        ({"name": "A", "rating": "4", "title": "t", "body": ""}, "body"),
    ]
    for data, field_name in cases:
        response = app_client.post("/products/hand-grinder/reviews", data=data)
        assert response.status_code == 400
        assert f"Please check the {field_name}" in response.text
    assert body not in app_client.get("/api/products/hand-grinder/reviews").text


def test_formatting_marks_become_bold_italic_and_line_breaks(app_client):
    for post in (post_form, post_api):
        review_id = post(app_client, body="Great **burrs** and _quiet_ too.\nWould buy again")

        shown = review_on(app_client, review_id)

        assert shown.texts["body"] == "Great burrs and quiet too.Would buy again"
        assert shown.tags["body"] == ["strong", "em", "br"]


def test_text_is_shown_exactly_as_typed(app_client):
    for post in (post_form, post_api):
        name, title = "Ole & Mette <3", 'The "best" <3 & more'
        review_id = post(app_client, product="gooseneck-kettle", name=name, title=title, body=PLAIN)

        shown = review_on(app_client, review_id)

        assert shown.texts == {"title": title, "body": PLAIN, "name": name}
        api = app_client.get(f"/api/reviews/{review_id}").json()
        assert (api["name"], api["title"], api["body"]) == (name, title, PLAIN)
        page = Page(app_client.get("/products/gooseneck-kettle").text)
        assert page.reviews[review_id].texts["body"] == PLAIN
        assert script_object(page.scripts[0], "reviewSummary")["latest"] == name


def test_website_links_the_reviewers_name(app_client):
    for post in (post_form, post_api):
        review_id = post(app_client, name="Rui", website="https://rui.example/?a=1&b=2")
        assert review_on(app_client, review_id).website == "https://rui.example/?a=1&b=2"
        plain = post(app_client, name="Rui", website="")
        assert review_on(app_client, plain).website is None


def test_search_finds_products_and_suggests_searches(app_client):
    response = app_client.get("/search", params={"q": "GRINDER"})

    assert response.status_code == 200
    assert 'href="/products/hand-grinder"' in response.text
    assert 'href="/products/cold-brew-jar"' not in response.text
    word = unique("espresso-")
    nothing = app_client.get("/search", params={"q": word})
    assert "No products match" in nothing.text
    suggested = app_client.get("/search/suggestions", params={"q": word[:12].upper()})
    assert suggested.status_code == 200
    assert suggested.json()[0] == word
    assert "GRINDER" in app_client.get("/search/suggestions", params={"q": "grin"}).json()
    assert app_client.get("/search/suggestions", params={"q": "g"}).json() == []


def test_reporting_a_review_is_acknowledged(app_client):
    review_id = post_api(app_client, body=unique("rude words "))

    response = app_client.post(f"/reviews/{review_id}/report")

    assert response.status_code == 200
    assert f"Review {review_id} was reported" in response.text
    assert app_client.get(f"/api/reviews/{review_id}").json()["reported"] is True
    assert app_client.post("/reviews/987654/report").status_code == 404


def test_api_lists_creates_and_returns_reviews(app_client):
    body = unique("API review ")
    created = app_client.post(
        "/api/products/gooseneck-kettle/reviews",
        json={"name": "Bot", "rating": 3, "title": "Fine", "body": body, "website": ""},
    )

    assert created.status_code == 201
    data = created.json()
    assert (data["name"], data["rating"], data["body"], data["product"]) == (
        "Bot", 3, body, "gooseneck-kettle"
    )  # fmt: skip
    assert app_client.get("/api/products/gooseneck-kettle/reviews").json()[0] == data
    assert app_client.get(f"/api/reviews/{data['id']}").json() == data
    assert app_client.get("/api/reviews/987654").status_code == 404
    assert app_client.get("/api/products/nope/reviews").status_code == 404


def test_api_explains_which_fields_are_invalid(app_client):
    response = app_client.post(
        "/api/products/gooseneck-kettle/reviews",
        json={"name": "", "rating": 7, "title": "t", "body": "x"},
    )

    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"name", "rating"}
