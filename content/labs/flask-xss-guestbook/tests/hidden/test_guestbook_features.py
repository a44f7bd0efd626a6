"""Functional checks: every feature of the guestbook keeps working after the fix."""

from __future__ import annotations

from conftest import Page, sign_api, sign_form, unique

PLAIN = 'Fish & chips, 5 > 4 <3 "best" hut, isn\'t it? 100% Zoë ☃'


def entry_on(client, entry_id: int):
    response = client.get(f"/entries/{entry_id}")
    assert response.status_code == 200
    return Page(response.text).entries[entry_id]


def test_guestbook_lists_entries_newest_first(app_client):
    older = sign_api(app_client, message=unique("older "))
    newer = sign_api(app_client, message=unique("newer "))

    response = app_client.get("/")

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    ids = list(Page(response.text).entries)
    assert newer in ids and older in ids
    assert ids.index(newer) < ids.index(older)


def test_signing_through_the_form_adds_an_entry(app_client):
    message = unique("Clear skies all the way up. ")

    entry_id = sign_form(app_client, author="Marta", hometown="Graz", message=message)

    shown = entry_on(app_client, entry_id)
    assert shown.author == "Marta"
    assert shown.message == message
    assert "Graz" in app_client.get(f"/entries/{entry_id}").text
    assert entry_id in Page(app_client.get("/").text).entries


def test_form_refuses_an_entry_without_a_name_or_message(app_client):
    message = unique("nameless ")

    no_name = app_client.post("/sign", data={"author": " ", "hometown": "", "message": message})
    no_message = app_client.post("/sign", data={"author": "Olu", "hometown": "", "message": ""})

    assert no_name.status_code == 400
    assert "author is required" in no_name.text
    assert no_message.status_code == 400
    assert "message is required" in no_message.text
    assert Page(app_client.get("/search", params={"q": message}).text).entries == {}


def test_formatting_marks_become_bold_italic_links_and_line_breaks(app_client):
    for sign in (sign_form, sign_api):
        entry_id = sign(
            app_client,
            message=(
                "Great **view** and _quiet_ nights.\n"
                "See [the map](https://maps.example/hut?a=1&b=2) or [old page](http://old.example/)"
            ),
        )

        shown = entry_on(app_client, entry_id)

        assert shown.message == "Great view and quiet nights.See the map or old page"
        tags = [(tag, attrs.get("href")) for tag, attrs in shown.message_tags]
        assert ("strong", None) in tags
        assert ("em", None) in tags
        assert ("br", None) in tags
        assert ("a", "https://maps.example/hut?a=1&b=2") in tags
        assert ("a", "http://old.example/") in tags


def test_text_is_shown_exactly_as_typed(app_client):
    for sign in (sign_form, sign_api):
        name = "Sam & Lou <3"
        entry_id = sign(app_client, author=name, hometown="Hay-on-Wye", message=PLAIN)

        shown = entry_on(app_client, entry_id)

        assert shown.author == name
        assert shown.message == PLAIN
        api = app_client.get(f"/api/entries/{entry_id}").json()
        assert (api["author"], api["message"]) == (name, PLAIN)
        assert entry_id in Page(app_client.get("/").text).entries
        found = app_client.get("/search", params={"q": '<3 "best" hut, isn\'t'}).text
        assert entry_id in Page(found).entries


def test_search_finds_names_and_messages_in_any_case_and_suggests_searches(app_client):
    word = unique("Marmot")
    by_message = sign_api(app_client, message=f"A {word} whistled at dawn")
    by_name = sign_api(app_client, author=f"{word} fan", message="Hello")
    sign_api(app_client, message=unique("unrelated "))

    response = app_client.get("/search", params={"q": word.upper()})

    assert response.status_code == 200
    assert set(Page(response.text).entries) == {by_message, by_name}
    suggested = app_client.get("/search/suggestions", params={"q": word[:9].lower()})
    assert suggested.status_code == 200
    assert suggested.json()[0] == word.upper()
    assert app_client.get("/search/suggestions", params={"q": "M"}).json() == []
    nothing = app_client.get("/search", params={"q": unique("nothing-")})
    assert "No entries match" in nothing.text


def test_reporting_an_entry_is_acknowledged(app_client):
    entry_id = sign_api(app_client, message=unique("rude words "))

    response = app_client.post(f"/entries/{entry_id}/report")

    assert response.status_code == 200
    assert f"Entry {entry_id} was reported" in response.text
    assert app_client.get(f"/api/entries/{entry_id}").json()["reported"] is True
    assert app_client.post("/entries/987654/report").status_code == 404


def test_api_lists_creates_and_returns_entries(app_client):
    message = unique("API entry ")
    created = app_client.post(
        "/api/entries", json={"author": "Bot", "hometown": "Oslo", "message": message}
    )

    assert created.status_code == 201
    body = created.json()
    assert body["message"] == message and body["author"] == "Bot" and body["hometown"] == "Oslo"
    listed = app_client.get("/api/entries").json()
    assert listed[0]["id"] == body["id"]
    assert app_client.get(f"/api/entries/{body['id']}").json() == body
    assert app_client.get("/api/entries/987654").status_code == 404
    assert app_client.get("/entries/987654").status_code == 404


def test_api_explains_which_fields_are_invalid(app_client):
    response = app_client.post("/api/entries", json={"author": "", "message": "x" * 2001})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"author", "message"}
