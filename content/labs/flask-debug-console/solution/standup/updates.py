"""What a status update is, and how one posted from a form or the API is checked."""

from __future__ import annotations

from typing import Any

STATUSES = {
    "on_track": "On track",
    "at_risk": "At risk",
    "blocked": "Blocked",
}

AUTHOR_MAX = 60
SUMMARY_MAX = 500


def validate_update(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Return the cleaned fields and a message per invalid field (empty when all is well)."""
    errors: dict[str, str] = {}
    author = data.get("author")
    status = data.get("status")
    summary = data.get("summary")

    author = author.strip() if isinstance(author, str) else ""
    summary = summary.strip() if isinstance(summary, str) else ""

    if not author:
        errors["author"] = "Say who is posting this update."
    elif len(author) > AUTHOR_MAX:
        errors["author"] = f"Keep the name under {AUTHOR_MAX} characters."

    # A JSON body can hold any type: a list or an object here must be an error, not a crash.
    if not isinstance(status, str) or status not in STATUSES:
        errors["status"] = "Pick one of: " + ", ".join(STATUSES) + "."

    if not summary:
        errors["summary"] = "Write a short summary of where things stand."
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = f"Keep the summary under {SUMMARY_MAX} characters."

    cleaned = {"author": author, "status": str(status), "summary": summary}
    return cleaned, errors
