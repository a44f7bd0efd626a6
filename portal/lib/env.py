"""Typed readers for settings that come from the environment.

Every knob of the site is read through these helpers so that a wrong value fails at start-up with
one clear sentence (a ``ConfigError``) instead of a traceback deep inside a request.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ImproperlyConfigured):
    """A setting from the environment is missing or malformed."""


def env_str(name: str, default: str = "") -> str:
    """The variable as a string, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no switch; anything but the usual spellings is an error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off (got {raw!r}).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Read a whole number, optionally bounded below."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated list, dropping blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str) -> Path | None:
    """A folder or file, or None when unset so that its owner applies its own default."""
    raw = os.environ.get(name, "").strip()
    return Path(raw) if raw else None


def env_required(name: str, why: str) -> str:
    """A variable that has no safe default in production."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: {why}")
    return value


_ENV_LINE = re.compile(r"(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)")


def parse_env_file(text: str, *, source: str = ".env") -> dict[str, str]:
    """``KEY=VALUE`` lines as a dict: blank lines and ``#`` comments are skipped, a value may be
    quoted with ``'`` or ``"`` (taken as it is, no escapes), and `` #`` after an unquoted value
    starts a comment. An empty value is left out, so that the setting keeps its default, as the
    blank lines of ``.env.example`` mean. A line that is none of these is a ConfigError naming it.
    """
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ENV_LINE.fullmatch(line)
        if match is None:
            raise ConfigError(f"{source} line {number}: expected KEY=VALUE (got {line!r}).")
        key, value = match["key"], match["value"].strip()
        if value[:1] in {"'", '"'}:
            quote = value[0]
            end = value.find(quote, 1)
            rest = value[end + 1 :].strip() if end > 0 else ""
            if end < 0 or (rest and not rest.startswith("#")):
                raise ConfigError(
                    f"{source} line {number}: {key} has an unterminated or misplaced {quote}."
                )
            value = value[1:end]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        if value:
            values[key] = value
    return values


def load_env_file(path: Path) -> dict[str, str]:
    """Put the variables of ``path`` into ``os.environ`` unless already set: the real environment
    wins. No file is no change. Returns the variables that were set."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} could not be read ({exc}).") from None
    applied = {
        key: value
        for key, value in parse_env_file(text, source=str(path)).items()
        if key not in os.environ
    }
    os.environ.update(applied)
    return applied


def run_or_exit(main: Callable[[], object]) -> object:
    """Run an entry point; a configuration error becomes one line on stderr and exit status 1."""
    try:
        return main()
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(1) from None
