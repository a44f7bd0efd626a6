"""The `.env` file: read when present, the real environment wins, a bad line is a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portal.lib.env import ConfigError, load_env_file, parse_env_file


def test_comments_quotes_and_export_are_understood() -> None:
    text = "\n".join(
        [
            "# a comment",
            "",
            "DEBUG=1",
            "export SITE_NAME='Patch work'",
            'DEFAULT_FROM_EMAIL="Patchwise <noreply@localhost>"  # the sender',
            "LOG_LEVEL = WARNING   # quieter",
            "HASHED=abc#def",
        ]
    )

    assert parse_env_file(text) == {
        "DEBUG": "1",
        "SITE_NAME": "Patch work",
        "DEFAULT_FROM_EMAIL": "Patchwise <noreply@localhost>",
        "LOG_LEVEL": "WARNING",
        "HASHED": "abc#def",
    }


def test_an_empty_value_leaves_the_default_in_place() -> None:
    # As in .env.example: `SESSION_COOKIE_SECURE=` must not turn a secure default off.
    assert parse_env_file("SESSION_COOKIE_SECURE=\nSECRET_KEY=''\nDEBUG=0\n") == {"DEBUG": "0"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DEBUG=1\nthis is not a setting\n", ".env line 2: expected KEY=VALUE"),
        ("1DEBUG=1\n", ".env line 1: expected KEY=VALUE"),
        ('SITE_NAME="Patchwise\n', '.env line 1: SITE_NAME has an unterminated or misplaced "'),
        ("SITE_NAME='a' b\n", ".env line 1: SITE_NAME has an unterminated or misplaced '"),
    ],
)
def test_a_malformed_line_is_a_config_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_env_file(text)

    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_value_from_the_file_is_used_when_the_environment_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PATCHWISE_TEST_ONLY_KNOB", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("PATCHWISE_TEST_ONLY_KNOB=from-file\n")

    applied = load_env_file(env_file)

    assert applied == {"PATCHWISE_TEST_ONLY_KNOB": "from-file"}
    assert os.environ["PATCHWISE_TEST_ONLY_KNOB"] == "from-file"
    monkeypatch.delenv("PATCHWISE_TEST_ONLY_KNOB")


def test_an_environment_variable_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATCHWISE_TEST_ONLY_KNOB", "from-environment")
    env_file = tmp_path / ".env"
    env_file.write_text("PATCHWISE_TEST_ONLY_KNOB=from-file\n")

    assert load_env_file(env_file) == {}
    assert os.environ["PATCHWISE_TEST_ONLY_KNOB"] == "from-environment"


def test_no_file_changes_nothing(tmp_path: Path) -> None:
    before = dict(os.environ)

    assert load_env_file(tmp_path / "missing.env") == {}
    assert dict(os.environ) == before
