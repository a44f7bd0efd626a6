"""The one TOML writer of content export: whatever an author typed reads back exactly."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from courses.content_files.writer import toml_assign, toml_value

AWKWARD_TEXTS = [
    "plain",
    "",
    'say "hi"',
    "C:\\path\\to\\file",
    "two\nlines\n",
    "ends with a quote'",
    "holds ''' three quotes\nand a newline",
    "tab\tinside",
    "windows\r\nline end",
    "bell \x07 and delete \x7f",
    "unicode: é ✓",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_any_text_reads_back_exactly(text: str) -> None:
    assert tomllib.loads(toml_assign("value", text))["value"] == text


def test_lists_booleans_numbers_and_dates_read_back_exactly() -> None:
    values = {
        "tags": ["flask", 'qu"ote', "multi\nline"],
        "lines": [3, 7],
        "yes": True,
        "no": False,
        "mark": 70,
        "published": dt.date(2026, 11, 20),
        "empty": [],
    }
    text = "\n".join(toml_assign(key, value) for key, value in values.items())
    assert tomllib.loads(text) == values


def test_booleans_are_toml_booleans_not_numbers() -> None:
    assert toml_value(True) == "true" and toml_value(1) == "1"


def test_multi_line_text_is_written_as_a_readable_literal() -> None:
    assert toml_value("first\nsecond\n") == "'''\nfirst\nsecond\n'''"


@pytest.mark.parametrize("value", [1.5, {"a": 1}, None, dt.datetime(2026, 1, 1)])
def test_values_without_a_content_form_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        toml_value(value)
