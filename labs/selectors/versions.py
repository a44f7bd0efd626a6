"""A lab version's validation report as the admin shows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labs.models import (
    LabVersion,
)


@dataclass(frozen=True)
class RuleRow:
    rule: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class VersionValidation:
    """A version's validation as the admin shows it: status, and the rules once finished."""

    status: str
    label: str
    in_flight: bool
    validated_at: Any
    error: str = ""
    rules: list[RuleRow] = field(default_factory=list)


def lab_version_validation(*, version: LabVersion) -> VersionValidation:
    """The version's validation status and its stored per-rule report (none while in flight)."""
    report = version.validation_report if isinstance(version.validation_report, dict) else {}
    in_flight = version.is_validating
    rules = [
        RuleRow(rule=str(r.get("rule", "")), ok=bool(r.get("ok")), detail=str(r.get("detail", "")))
        for r in report.get("rules", [])
        if isinstance(r, dict)
    ]
    return VersionValidation(
        status=version.validation_status,
        label=version.get_validation_status_display(),
        in_flight=in_flight,
        validated_at=version.validated_at,
        error="" if in_flight else str(report.get("error", "")),
        rules=[] if in_flight else rules,
    )
