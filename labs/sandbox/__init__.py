"""Patchwise's sandbox grading engine: plain Python, no Django.

Only this package starts processes. The Django side calls three things:

- :func:`grade` runs a lab's hidden (or public) tests against a learner's workspace and returns a
  :class:`GradeResult` with a verdict from LAB_FORMAT.md;
- :func:`run_exploit` runs a learner's exploit script (or one HTTP request) against a fresh copy
  of the app holding a freshly planted flag, and tells whether the flag came back;
- :func:`load_lab` reads and validates a bundle's ``lab.toml``.

Machine set-up (users, runtimes): ``python -m labs.sandbox.provision`` as root. Problems that are
not the learner's raise :class:`SandboxError` subclasses; learner code never runs outside the
sandbox.
"""

from __future__ import annotations

from .bundle import CheckSpec, ExploitSpec, LabSpec, load_lab
from .config import FRAMEWORKS, SandboxConfig
from .errors import LabBundleError, SandboxBusy, SandboxError, SandboxUnavailable
from .exploit import run_exploit
from .grading import grade
from .limits import Limits
from .results import (
    CheckResult,
    ExploitResult,
    ExploitStatus,
    GradeResult,
    HttpExchange,
    HttpRequest,
    Outcome,
    Verdict,
)

__all__ = [
    "FRAMEWORKS",
    "CheckResult",
    "CheckSpec",
    "ExploitResult",
    "ExploitSpec",
    "ExploitStatus",
    "GradeResult",
    "HttpExchange",
    "HttpRequest",
    "LabBundleError",
    "LabSpec",
    "Limits",
    "Outcome",
    "SandboxBusy",
    "SandboxConfig",
    "SandboxError",
    "SandboxUnavailable",
    "Verdict",
    "grade",
    "load_lab",
    "run_exploit",
]
