"""Structured logs: one JSON object per line, for log shippers and ``jq`` rather than for eyes.

A caller passes its fields as ``extra={"fields": {...}}``; they are written at the top level of
the object beside the time, level, logger and message, so a line reads
``{"ts": "...", "level": "INFO", "logger": "patchwise.grading", "event": "grading.finished", ...}``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

#: Keys every line has; a caller's field of the same name is written as ``field_<name>``.
BASE_KEYS = frozenset({"ts", "level", "logger", "message"})


class JsonLinesFormatter(logging.Formatter):
    """Formats a record as one line of JSON (never a newline inside: tracebacks are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            for key, value in fields.items():
                line[f"field_{key}" if key in BASE_KEYS else str(key)] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        # default=str: a datetime or Decimal in a field must never cost the log line.
        return json.dumps(line, default=str, ensure_ascii=False, separators=(",", ":"))
