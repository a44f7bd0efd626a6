"""Typed readers for settings that come from the environment.

Every knob of the site is read through these helpers so that a wrong value fails at start-up with
one clear sentence (a ``ConfigError``) instead of a traceback deep inside a request.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

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


def env_required(name: str, why: str) -> str:
    """A variable that has no safe default in production."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is not set: {why}")
    return value


def run_or_exit(main: Callable[[], object]) -> object:
    """Run an entry point; a configuration error becomes one line on stderr and exit status 1."""
    try:
        return main()
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        raise SystemExit(1) from None
