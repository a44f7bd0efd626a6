"""What a grading or an exploit run returns: plain dataclasses, JSON-ready, no Django."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """Final verdict of a graded submission (docs/LAB_FORMAT.md, "Verdicts")."""

    PASSED = "passed"
    STILL_EXPLOITABLE = "still_exploitable"
    BROKEN = "broken"
    DOES_NOT_START = "does_not_start"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    GRADER_ERROR = "grader_error"


class Outcome(StrEnum):
    """Outcome of one check."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    TIMEOUT = "timeout"
    NOT_RUN = "not_run"


class CheckKind(StrEnum):
    """What a check guards (``kind`` in lab.toml's ``[[checks]]``)."""

    SECURITY = "security"
    FUNCTIONAL = "functional"


@dataclass(frozen=True)
class CheckResult:
    """One check as the learner sees it: title and outcome, never the test's source or assertion."""

    test: str
    title: str
    kind: CheckKind
    outcome: Outcome
    duration_ms: int
    #: Short and safe to show a learner. For public tests (which learners may read) it may carry the
    #: assertion line; for hidden checks it only restates the outcome.
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "title": self.title,
            "kind": str(self.kind),
            "outcome": str(self.outcome),
            "duration_ms": self.duration_ms,
        }


@dataclass(frozen=True)
class GradeResult:
    verdict: Verdict
    checks: tuple[CheckResult, ...]
    duration_ms: int
    #: One sentence for the learner explaining a non-pass verdict ("Your app used more than 256 MB
    #: of memory."); empty when passed.
    reason: str = ""
    #: The learner app's stderr (first 64 KiB and the last lines): their traceback for
    #: does_not_start.
    app_stderr: str = ""
    #: What the learner's app printed (their ``print()`` debugging), trimmed the same way.
    app_stdout: str = ""
    #: Full pytest output, only for public test runs (learners may read public tests).
    test_output: str | None = None
    #: Every test the test process collected (names), for ``validate_lab``'s "every test has a
    #: check".
    collected: tuple[str, ...] = ()
    #: Internal diagnostics (exit codes, pytest output of hidden runs). Logs and staff only: this
    #: may quote hidden tests, so never show it to a learner.
    grader_log: str = field(default="", repr=False)

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASSED

    def as_dict(self) -> dict[str, Any]:
        """The verdict in docs/LAB_FORMAT.md's shape, as ``manage.py grade --json`` prints it."""
        return {
            "verdict": str(self.verdict),
            "checks": [check.as_dict() for check in self.checks],
            "duration_ms": self.duration_ms,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict())


@dataclass(frozen=True)
class HttpRequest:
    """A single request a learner asks us to replay against the app (the no-code exploit mode)."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True)
class HttpExchange:
    """One request the exploit's client sent and the response it got, trimmed for display."""

    method: str
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str
    body_truncated: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body,
            "body_truncated": self.body_truncated,
        }


class ExploitStatus(StrEnum):
    """How an exploit run ended (independent of whether the flag came back)."""

    COMPLETED = "completed"  # the script (or request) ran to its end, or raised an error of its own
    DOES_NOT_START = "does_not_start"
    TIMEOUT = "timeout"
    RESOURCE_LIMIT = "resource_limit"
    GRADER_ERROR = "grader_error"


@dataclass(frozen=True)
class ExploitResult:
    #: True when the planted flag appeared in any response the client received.
    flag_found: bool
    status: ExploitStatus
    exchanges: tuple[HttpExchange, ...]
    #: The learner script's output, trimmed.
    stdout: str
    stderr: str
    duration_ms: int
    reason: str = ""
    app_stderr: str = ""
    #: More exchanges happened than are listed in ``exchanges``.
    exchanges_omitted: int = 0
    grader_log: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "flag_found": self.flag_found,
            "status": str(self.status),
            "reason": self.reason,
            "exchanges": [exchange.as_dict() for exchange in self.exchanges],
            "exchanges_omitted": self.exchanges_omitted,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_ms": self.duration_ms,
        }
