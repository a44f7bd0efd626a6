"""Patchwise's sandbox grading engine: plain Python, no Django.

Only this package starts processes. The Django side calls three things:

- :func:`grade` runs a lab's hidden (or public) tests against a learner's workspace and returns a
  :class:`GradeResult` with a verdict from docs/LAB_FORMAT.md;
- :func:`run_exploit` runs a learner's exploit script (or one HTTP request) against a fresh copy
  of the app holding a freshly planted flag, and tells whether the flag came back;
- :func:`load_lab` reads and validates a bundle's ``lab.toml``.

Machine set-up (users, runtimes): ``python -m labs.sandbox.provision`` as root. Problems that are
not the learner's raise :class:`SandboxError` subclasses; learner code never runs outside the
sandbox. Verdicts, check outcomes and check kinds are the enums :class:`Verdict`,
:class:`Outcome` and :class:`CheckKind` (the Django side's choices use the same values).
:func:`safe_relative_path` and :func:`copy_tree` are the one way to check a learner's or bundle's
path and to copy a folder without following links.
"""

from __future__ import annotations

from .bundle import (
    EXPLOIT_CHECK_PREFIX,
    VULNERABILITY_CLASSES,
    CheckSpec,
    CompareSpec,
    Excerpt,
    ExploitScript,
    ExploitSpec,
    LabSpec,
    load_lab,
)
from .config import FRAMEWORKS, SandboxConfig
from .errors import LabBundleError, SandboxBusy, SandboxError, SandboxUnavailable
from .exploit import run_exploit
from .grading import grade
from .limits import Limits
from .paths import UnsafePath, copy_tree, safe_relative_path
from .results import (
    CheckKind,
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
    "EXPLOIT_CHECK_PREFIX",
    "FRAMEWORKS",
    "VULNERABILITY_CLASSES",
    "CheckKind",
    "CheckResult",
    "CheckSpec",
    "CompareSpec",
    "Excerpt",
    "ExploitResult",
    "ExploitScript",
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
    "UnsafePath",
    "Verdict",
    "copy_tree",
    "grade",
    "load_lab",
    "run_exploit",
    "safe_relative_path",
]
