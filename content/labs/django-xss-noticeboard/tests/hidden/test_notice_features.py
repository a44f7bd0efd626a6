"""Functional checks: every feature of the noticeboard keeps working after the fix."""

from __future__ import annotations

from conftest import Page, post_api, post_form, unique

PLAIN = 'Fish & chips, 5 > 4 <3 "best" plot, isn\'t it? 100% Zoë ☃'


def notice_on(client, notice_id: int):
    response = client.get(f"/notices/{notice_id}/")
    assert response.status_code == 200
    return Page(response.text).notices[notice_id]


def test_board_lists_notices_newest_first(app_client):
    older = post_api(app_client, body=unique("older "))
    newer = post_api(app_client, body=unique("newer "))

    response = app_client.get("/")

    assert response.status_code == 200
    ids = list(Page(response.text).notices)
    assert ids.index(newer) < ids.index(older)


def test_posting_a_notice_through_the_form(app_client):
    body = unique("Spare canes by the gate. ")

    notice_id = post_form(app_client, author="Marta", title="Canes", body=body)

    shown = notice_on(app_client, notice_id)
    assert (shown.texts["name"], shown.texts["title"], shown.texts["body"]) == (
        "Marta", "Canes", body
    )  # fmt: skip
    assert notice_id in Page(app_client.get("/").text).notices


def test_form_refuses_a_notice_with_missing_fields(app_client):
    title = unique("nameless ")
    for missing in ["author", "title", "body"]:
        data = {"author": "A", "title": title, "body": "b", "contact": ""} | {missing: ""}
        response = app_client.post("/notices/new/", data=data)
        assert response.status_code == 400
        assert f"{missing}: This field is required." in response.text
    assert title not in app_client.get("/api/notices/").text


def test_formatting_marks_become_bold_italic_and_line_breaks(app_client):
    for post in (post_form, post_api):
        notice_id = post(app_client, body="Bring **gloves** and _twine_.\nThanks all")

        shown = notice_on(app_client, notice_id)

        assert shown.texts["body"] == "Bring gloves and twine.Thanks all"
        assert shown.tags["body"] == ["strong", "em", "br"]


def test_text_is_shown_exactly_as_typed(app_client):
    for post in (post_form, post_api):
        author, title = "Ole & Sara <3", 'Shed "swap" <3 & more'
        notice_id = post(app_client, author=author, title=title, body=PLAIN)

        shown = notice_on(app_client, notice_id)

        assert (shown.texts["name"], shown.texts["title"], shown.texts["body"]) == (
            author, title, PLAIN
        )  # fmt: skip
        api = app_client.get(f"/api/notices/{notice_id}/").json()
        assert (api["author"], api["title"], api["body"]) == (author, title, PLAIN)
        assert Page(app_client.get("/").text).notices[notice_id].texts["body"] == PLAIN


def test_contact_address_becomes_a_link(app_client):
    for post in (post_form, post_api):
        notice_id = post(app_client, contact="https://plot7.example/?a=1&b=2")
        assert notice_on(app_client, notice_id).contact == "https://plot7.example/?a=1&b=2"
        plain = post(app_client, contact="")
        assert notice_on(app_client, plain).contact is None


def test_search_finds_notices_highlights_matches_and_suggests_searches(app_client):
    word = unique("Rhubarb")
    by_title = post_api(app_client, title=f"Free {word} & crowns <3")
    by_body = post_api(app_client, title="Crowns", body=f"Split {word} crowns")
    post_api(app_client, title=unique("unrelated "))

    response = app_client.get("/search/", params={"q": word.upper()})

    assert response.status_code == 200
    page = Page(response.text)
    assert set(page.results) == {by_title, by_body}
    assert page.results[by_title].texts["result"] == f"Free {word} & crowns <3"
    assert page.results[by_title].tags["result"] == ["mark"]
    quoted = Page(app_client.get("/search/", params={"q": "& crowns <3"}).text)
    assert quoted.results[by_title].tags["result"] == ["mark"]
    assert "No notices match" in app_client.get("/search/", params={"q": unique("x")}).text
    suggested = app_client.get("/search/suggestions/", params={"q": word[:10].lower()})
    assert suggested.status_code == 200
    assert suggested.json()[0] == word.upper()
    assert app_client.get("/search/suggestions/", params={"q": "R"}).json() == []


def test_reporting_a_notice_is_acknowledged(app_client):
    notice_id = post_api(app_client, body=unique("rude words "))

    response = app_client.post(f"/notices/{notice_id}/report/")

    assert response.status_code == 200
    assert f"Notice {notice_id} was reported" in response.text
    assert app_client.get(f"/api/notices/{notice_id}/").json()["reported"] is True
    assert app_client.post("/notices/987654/report/").status_code == 404


def test_api_lists_creates_and_returns_notices(app_client):
    body = unique("API notice ")
    created = app_client.post(
        "/api/notices/", json={"author": "Bot", "title": "Hoses", "body": body, "contact": ""}
    )

    assert created.status_code == 201
    data = created.json()
    assert (data["author"], data["title"], data["body"]) == ("Bot", "Hoses", body)
    assert app_client.get("/api/notices/").json()[0] == data
    assert app_client.get(f"/api/notices/{data['id']}/").json() == data
    assert app_client.get("/api/notices/987654/").status_code == 404
    assert app_client.get("/notices/987654/").status_code == 404


def test_api_explains_which_fields_are_invalid(app_client):
    response = app_client.post(
        "/api/notices/", json={"author": "", "title": "t", "body": "x" * 2001}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"author", "body"}
