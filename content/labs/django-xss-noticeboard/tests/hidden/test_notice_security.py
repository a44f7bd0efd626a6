"""Security checks: nothing a member types may become markup, on any page, through any door.

Every payload carries the marker "pwxss". The checks parse each page as a browser would and fail
when typed text turned into an element, an attribute, an event handler or a script URL, or when
Mod (the moderation bot) loaded an image that a reported notice put on its staff page.
"""

from __future__ import annotations

import pytest
from conftest import MARK, assert_inert, check_notice, post_api, post_form, unique

ELEMENT_PAYLOADS = [
    "<script>alert('pwxss')</script>",
    "<ScRiPt>alert('pwxss')</sCrIpT>",
    "<img src=x onerror=alert('pwxss')>",
    "<IMG SRC=x OnError=\"alert('pwxss')\">",
    "<img/src=x/onerror=alert('pwxss')>",
    "<svg onload=alert('pwxss')>",
    "<svg><script>alert('pwxss')</script></svg>",
    "<iframe src=\"javascript:alert('pwxss')\"></iframe>",
    "<details open ontoggle=alert('pwxss')>",
    "<b onmouseover=alert('pwxss')>hover</b>",
    "<em class=pwxss>x</em>",
    "<scr<script>ipt>alert('pwxss')</scr</script>ipt>",
    "<a href=\"javascript:alert('pwxss')\">click</a>",
    "<img src='/search/?q=pwxss",
    "\"><img src=x onerror=alert('pwxss')>",
    "</div></article><script>alert('pwxss')</script>",
    "&lt;script&gt;alert('pwxss')&lt;/script&gt;",
    "&#60;img src=x onerror=alert('pwxss')&#62;",
]


def test_notice_body_markup_is_shown_as_text(app_client, post):
    for payload in ELEMENT_PAYLOADS:
        tag = unique("b")
        notice_id = post(body=f"{tag} {payload}", title=tag)
        check_notice(app_client, notice_id, tag)


ATTRIBUTE_PAYLOADS = [
    "\" onmouseover=\"alert('pwxss')",
    '"onmouseover="alert(\'pwxss\')"x="',
    "' onmouseover='alert(`pwxss`)' x='",
    '" pwxss="1',
    "&#34; onmouseover=&#34;alert('pwxss')",
    "&quot; onmouseover=&quot;alert('pwxss')",
]


def test_author_name_markup_is_shown_as_text(app_client, post):
    for payload in ELEMENT_PAYLOADS + ATTRIBUTE_PAYLOADS:
        tag = unique("a")
        notice_id = post(author=payload[:60], title=tag)
        check_notice(app_client, notice_id, tag)


def test_titles_in_search_results_are_shown_as_text(app_client, post):
    for payload in ELEMENT_PAYLOADS:
        tag = unique("t")
        title = f"{tag} {payload}"[:100]
        notice_id = post(title=title)
        # Search for the marker, for the whole title and for part of the payload: each is
        # highlighted inside the title in the results.
        for term in [tag, title, f"{tag} {payload[:12]}"]:
            response = app_client.get("/search/", params={"q": term})
            assert response.status_code == 200
            page = assert_inert(response.text, f"search for {term!r} (notice {notice_id})")
            if term == tag:
                assert notice_id in page.results, f"notice {notice_id} not found by {term!r}"


def test_search_terms_are_shown_as_text(app_client):
    word = unique("rota")
    post_api(app_client, title=f"{word} <b>pwxss</b> \" ' &")
    payloads = [
        *ELEMENT_PAYLOADS,
        "\" autofocus onfocus=\"alert('pwxss')",
        "' onfocus='alert(`pwxss`)' autofocus x='",
        '" pwxss="1',
        "Shed",
        "<b>pwxss</b>",
        "rota <b>",
        "&",
        '"',
    ]
    for payload in payloads:
        for term in [f"{unique('q')} {payload}", f"{word} {payload}"]:
            response = app_client.get("/search/", params={"q": term})
            assert response.status_code == 200
            assert_inert(response.text, f"search for {term!r}")
    suggested = app_client.get("/search/suggestions/", params={"q": "<s"})
    assert suggested.headers["content-type"].startswith("application/json")


SCRIPT_URLS = [
    "javascript:alert('pwxss')",
    "JaVaScRiPt:alert('pwxss')",
    " javascript:alert('pwxss')",
    "\x01javascript:alert('pwxss')",
    "java\tscript:alert('pwxss')",
    "javascript://example.com/%0Aalert('pwxss')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgncHd4c3MnKTwvc2NyaXB0Pg==",
    "vbscript:msgbox('pwxss')",
    "https://a.example/\" onmouseover=\"alert('pwxss')",
    "https://a.example/'><img src=x onerror=alert('pwxss')>",
]


@pytest.mark.parametrize("door", ["form", "api"])
def test_contact_link_cannot_run_script(app_client, door):
    for contact in SCRIPT_URLS:
        tag = unique("c")
        fields = {"author": "Kim", "title": tag, "body": "b", "contact": contact}
        if door == "form":
            response = app_client.post("/notices/new/", data=fields, follow_redirects=False)
            created = response.status_code in (302, 303)
            notice_id = created and int(response.headers["location"].rstrip("/").rsplit("/", 1)[1])
        else:
            response = app_client.post("/api/notices/", json=fields)
            created = response.status_code == 201
            notice_id = created and response.json()["id"]
        assert response.status_code < 500, f"{contact!r}: server error"
        if created:
            check_notice(app_client, notice_id, tag)
        else:
            assert 400 <= response.status_code < 500


BOT_PAYLOADS = [
    ("body", '<img src="/search/?q={marker}">'),
    ("body", "<IMG SRC='/search/?q={marker}'>"),
    ("body", "<img src=/search/?q={marker}>"),
    ("body", '<img src="&#47;search/?q={marker}">'),
    ("body", '"><img src="/search/?q={marker}">'),
    ("author", '<img src="/search/?q={marker}">'),
    ("author", "<img src=/search/?q={marker}>"),
    ("title", '<img src="/search/?q={marker}">'),
    ("contact", 'https://a.example/"><img src="/search/?q={marker}">'),
]


@pytest.mark.parametrize("door", ["form", "api"])
def test_reported_notices_cannot_make_the_moderator_load_images(app_client, door):
    for field_name, template in BOT_PAYLOADS:
        marker = unique(f"{MARK}bot")
        fields = {field_name: template.format(marker=marker)}
        poster = post_form if door == "form" else post_api
        try:
            notice_id = poster(app_client, **fields)
        except AssertionError:
            continue  # refusing the notice (an invalid contact address) is safe
        report = app_client.post(f"/notices/{notice_id}/report/")
        assert report.status_code == 200, f"reporting notice {notice_id} failed"
        suggested = app_client.get("/search/suggestions/", params={"q": marker[:8]})
        assert suggested.status_code == 200
        assert marker not in suggested.text, (
            f"the moderator's browser loaded an image from the {field_name} {fields[field_name]!r}"
        )


def test_staff_pages_need_staff(app_client):
    notice_id = post_api(app_client, body=unique("s"))
    assert app_client.get(f"/staff/notices/{notice_id}/").status_code == 403
    forged = app_client.get(f"/staff/notices/{notice_id}/", cookies={"staff_session": "1"})
    assert forged.status_code == 403
    remove = app_client.post(f"/staff/notices/{notice_id}/remove/", data={"staff_token": ""})
    assert remove.status_code == 403
    assert app_client.get(f"/notices/{notice_id}/").status_code == 200


def test_malformed_input_is_refused_without_a_server_error(app_client, lab_flag):
    bodies = [
        {"author": ["<b>"], "title": "t", "body": "x"},
        {"author": "A", "title": "t", "body": 5},
        {"author": "A", "title": "t", "body": None},
        {"author": "A", "title": "t", "body": {"html": "<b>"}},
        {"author": "A", "title": "t", "body": "x", "contact": 7},
        {"author": "A"},
        {},
        ["author"],
        "text",
    ]
    responses = []
    for body in bodies:
        response = app_client.post("/api/notices/", json=body)
        assert response.status_code == 400, f"{body!r}: {response.status_code}"
        responses.append(response)
    raw = app_client.post(
        "/api/notices/", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert raw.status_code == 400
    form = app_client.post("/notices/new/", data={"author": "<b>"})
    assert form.status_code == 400
    assert app_client.post("/notices/999999/report/").status_code == 404
    huge = app_client.get("/search/", params={"q": "<b>" * 5000})
    assert huge.status_code in (200, 400, 414)
    for response in [*responses, raw, form, huge]:
        assert "Traceback" not in response.text
        assert not lab_flag or lab_flag not in response.text
