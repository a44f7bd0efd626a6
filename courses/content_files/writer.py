"""The one TOML writer for exported content: values that ``tomllib`` reads back exactly.

Articles' front matter, paths and quizzes are all written through ``toml_value``, so that export
followed by load finds every row unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

#: Characters a TOML basic string cannot hold as they are (tab is allowed but escaped for clarity).
_NEEDS_ESCAPE = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
#: Control characters a multi-line literal string cannot hold (it takes tabs and newlines).
_NOT_LITERAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def toml_string(value: str) -> str:
    """A TOML string: literal multi-line when the text spans lines and can be written so,
    otherwise a basic string with escapes."""
    if (
        "\n" in value
        and "'''" not in value
        and not value.endswith("'")
        and not _NOT_LITERAL.search(value)
    ):
        return "'''\n" + value + "'''"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = _NEEDS_ESCAPE.sub(
        lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), escaped
    )
    return f'"{escaped}"'


def toml_value(value: Any) -> str:
    """A TOML value for a string, boolean, whole number, date or list of those."""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__} in content files")


def toml_assign(key: str, value: Any, *, indent: str = "") -> str:
    """One ``key = value`` line."""
    return f"{indent}{key} = {toml_value(value)}"
