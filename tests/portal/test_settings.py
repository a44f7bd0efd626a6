"""Start-up configuration: clear one-line errors, and a clean `check --deploy` in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD_KEY = "x" * 20 + "-production-key-for-tests-only-0123456789"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    # A developer's own .env must not change what these tests see; a test may name another file.
    base["PATCHWISE_ENV_FILE"] = os.devnull
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_in_production_is_one_clear_line() -> None:
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set: "
        "set it to a long random string when DEBUG is off."
    ]
    assert "Traceback" not in result.stderr


def test_missing_allowed_hosts_in_production_is_one_clear_line() -> None:
    result = _manage("check", DEBUG="0", SECRET_KEY=PROD_KEY)
    assert result.returncode == 1
    assert "ALLOWED_HOSTS is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_unparsable_database_url_is_one_clear_line() -> None:
    result = _manage("check", DEBUG="1", DATABASE_URL="nonsense://what")
    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: DATABASE_URL")
    assert "Traceback" not in result.stderr


def test_bad_boolean_is_rejected_not_guessed() -> None:
    result = _manage("check", DEBUG="maybe")
    assert result.returncode == 1
    assert "DEBUG must be one of" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=PROD_KEY,
        ALLOWED_HOSTS="patchwise.example.com",
        PATCHWISE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("debug", ["0", "1"])
def test_email_verification_cannot_be_relaxed_in_production(debug: str) -> None:
    code = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DEBUG=debug,
        SECRET_KEY=PROD_KEY,
        ALLOWED_HOSTS="example.com",
        ACCOUNT_EMAIL_VERIFICATION="none",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == ("mandatory" if debug == "0" else "none")


def test_manage_py_reads_debug_from_the_env_file(tmp_path: Path) -> None:
    # What `make run` writes: without it, commands run by hand stop at "SECRET_KEY is not set".
    env_file = tmp_path / ".env"
    env_file.write_text("# written by make run\nDEBUG=1\n")

    result = _manage("check", PATCHWISE_ENV_FILE=str(env_file))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n")

    result = _manage(
        "check", DEBUG="0", ALLOWED_HOSTS="example.com", PATCHWISE_ENV_FILE=str(env_file)
    )

    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr


def test_a_malformed_env_file_is_one_clear_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\n\nnot a setting\n")

    result = _manage("check", PATCHWISE_ENV_FILE=str(env_file))

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Configuration error: {env_file} line 3: expected KEY=VALUE (got 'not a setting')."
    ]
