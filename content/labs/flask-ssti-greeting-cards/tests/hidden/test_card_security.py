"""Security checks: nothing typed into a card is ever run as template code, through any door.

A card's text is data. Braces, tags and template statements are shown exactly as typed (a greeting
card may well say "{{{hugs}}}"), on the preview, in the API's HTML and on a saved card's page, and
nothing a card says can reach the app's configuration or environment.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

import httpx
from template_audit import string_built_templates

FIELDS = ("recipient", "message", "signature")
# The app's secret key, set in the deployment's environment: it must never appear on a page.
SECRET_KEY = "kite-prod-7f2c91d04b6e38a5"  # noqa: S105 - the value to look for
LEAKS = (SECRET_KEY, "mail.example.net", "/usr/")


def same_text(shown: str | None, typed: str) -> bool:
    """Shown as typed. Escaping twice is a display bug the functional checks catch, not a hole."""
    return shown is not None and (shown == typed or html.unescape(shown) == typed)


def assert_no_leak(drawn, payload: str, flag: str) -> None:
    where = f"{drawn.via} with {payload!r}"
    assert drawn.status < 500, f"server error for {where}"
    assert not flag or flag not in drawn.body, f"the flag came back for {where}"
    for leak in LEAKS:
        assert leak not in drawn.body, f"{leak!r} came back for {where}"
    assert "Traceback" not in drawn.body, f"a traceback came back for {where}"


def assert_shown_as_typed(door, payload: str, flag: str, fields=FIELDS) -> None:
    for field in fields:
        if len(payload) > 60 and field != "message":
            continue
        drawn = door(**{field: payload})
        assert_no_leak(drawn, payload, flag)
        assert drawn.status == 200, f"{drawn.via} refused {payload!r} in the {field}"
        assert same_text(drawn.shown(field), payload), (
            f"{drawn.via}: {payload!r} in the {field} was not shown as typed"
        )


def test_expressions_in_any_field_are_text(doors, lab_flag) -> None:
    payloads = [
        "{{ 7*191 }}",
        "{{7*191}}",
        "{{- 7*191 -}}",
        "{{ '%x' % 3054 }}",
        "{{ 'pw-' ~ 'evaluated' }}",
        "{{ theme|upper }}",
        "{{ [1337]|first }}",
    ]
    for door in doors:
        for payload in payloads:
            assert_shown_as_typed(door, payload, lab_flag)


def test_statements_in_any_field_are_text(doors, lab_flag) -> None:
    payloads = [
        "{% for i in range(3) %}ho{% endfor %}",
        "{% if true %}yes{% else %}no{% endif %}",
        "{%- set x = 1337 -%}",
        "{% filter upper %}shout{% endfilter %}",
        "{% macro m() %}x{% endmacro %}",
    ]
    for door in doors:
        for payload in payloads:
            assert_shown_as_typed(door, payload, lab_flag)


def test_config_and_environment_are_out_of_reach(doors, lab_flag) -> None:
    payloads = [
        "{{ config }}",
        "{{ config.MAIL_API_KEY }}",
        "{{ config['SECRET_KEY'] }}",
        "{{ config.items()|list }}",
        "{% include config.MAIL_API_KEY %}",
        "{% for k, v in config.items() %}{{ k }}={{ v }} {% endfor %}",
        "{{ lipsum.__globals__['os'].environ }}",
        "{{ lipsum|attr('__globals__')|attr('get')('os')|attr('environ') }}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ self._TemplateReference__context }}",
        "{{ request.environ }}",
        "{{ url_for.__globals__['current_app'].config }}",
        "{{ get_flashed_messages.__globals__['current_app'].config }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    ]
    for door in doors:
        for payload in payloads:
            assert_shown_as_typed(door, payload, lab_flag)


def test_raw_blocks_comments_and_brace_hugs_are_text(doors, lab_flag) -> None:
    payloads = [
        "Sending you {{{hugs}}}!",
        "{{{{ big hugs }}}}",
        "{% endraw %}{{ 7*191 }}{% raw %}",
        "{% raw %}{{ 7*191 }}{% endraw %}",
        "Hi {# secret #} there",
        "{{ unclosed",
        "closing }} only",
        "{% if %}",
        "{{ 1/0 }}",
        "{{ nothing.here.at.all() }}",
    ]
    for door in doors:
        for payload in payloads:
            assert_shown_as_typed(door, payload, lab_flag)


def test_card_text_is_html_escaped(doors, lab_flag) -> None:
    payloads = [
        "<script>alert('kite')</script>",
        '<img src=x onerror="alert(1)">',
        "</p><h1>Big news</h1>",
    ]
    for door in doors:
        for payload in payloads:
            for field in FIELDS:
                drawn = door(**{field: payload})
                assert_no_leak(drawn, payload, lab_flag)
                assert drawn.status == 200, f"{drawn.via} refused {payload!r}"
                assert "<" not in (drawn.raw(field) or "<"), (
                    f"{drawn.via}: {payload!r} in the {field} reached the page as HTML"
                )
                assert same_text(drawn.shown(field), payload), f"{drawn.via}: {payload!r}"


def test_encoded_and_disguised_delimiters_are_text(app_client: httpx.Client, lab_flag) -> None:
    card = "recipient=Sam&signature=Ana&theme=sunrise&message="
    for message in ["{{ config.MAIL_API_KEY }}", "{% include config.MAIL_API_KEY %}"]:
        for encoded in [quote(message, safe=""), quote(message, safe="").replace("%20", "+")]:
            response = app_client.post(
                "/cards/preview",
                content=(card + encoded).encode(),
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
            assert response.status_code == 200, "a hand-encoded form was refused"
            assert not lab_flag or lab_flag not in response.text, "the flag came back"
    escaped = (
        '{"recipient": "Sam", "signature": "Ana",'
        ' "message": "\\u007b\\u007b config.MAIL_API_KEY \\u007d\\u007d"}'
    )
    response = app_client.post(
        "/api/cards/preview", content=escaped, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert not lab_flag or lab_flag not in response.text, "JSON \\u escapes reached the template"
    assert "{{ config.MAIL_API_KEY }}" in html.unescape(response.json()["html"])
    for message in [
        "\uff5b\uff5b 7*191 \uff5d\uff5d",
        "{\u200b{ 7*191 }\u200b}",
        "%7B%7B 7*191 %7D%7D",
    ]:
        response = app_client.post(
            "/api/cards/preview",
            json={
                "recipient": "Sam",
                "signature": "Ana",
                "message": message,
            },
        )
        assert response.status_code == 200, message
        assert "1337" not in response.text, message


def test_malformed_input_gets_a_clean_answer(app_client: httpx.Client, lab_flag) -> None:
    card = {"recipient": "Sam", "message": "Hi", "signature": "Ana", "theme": "sunrise"}
    for field in ("recipient", "message", "signature", "theme"):
        for value in [5, 1.5, True, None, ["{{ config }}"], {"text": "{{ config }}"}]:
            response = app_client.post("/api/cards/preview", json={**card, field: value})
            where = f"API {field}={value!r}"
            assert response.status_code == 400, f"{where} was not refused with a 400"
            assert not lab_flag or lab_flag not in response.text, where
            assert "Traceback" not in response.text, where
    for content, kind in [
        (b"[]", "application/json"),
        (b'"{{ config }}"', "application/json"),
        (b"null", "application/json"),
        (b'{"message": ', "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"message=%7B%7B+config+%7D%7D", "application/x-www-form-urlencoded"),
    ]:
        response = app_client.post(
            "/api/cards/preview", content=content, headers={"content-type": kind}
        )
        where = f"API body {content[:20]!r}"
        assert response.status_code == 400, f"{where} was not refused with a 400"
        assert "Traceback" not in response.text, where
    for value in ["\x00", "{{\x00}}", "\u202e{{ 7*191 }}", "x" * 5000]:
        response = app_client.post("/cards/preview", data={**card, "message": value})
        assert response.status_code < 500, f"server error for message {value[:20]!r}"
        assert "1337" not in response.text


def test_no_template_is_built_from_user_text(app_files: Path) -> None:
    """The card's template is fixed in the code; the texts go in as context variables."""
    findings = string_built_templates(app_files)
    assert not findings, "A template is still built from strings:\n" + "\n".join(map(str, findings))
