"""Exceptions raised by the sandbox engine.

A learner's bad submission never raises: it becomes a verdict. These exceptions are for problems on
our side (the sandbox cannot run at all, a lab bundle is malformed, every slot is busy), so the
caller can retry or alert instead of blaming the learner.
"""

from __future__ import annotations


class SandboxError(Exception):
    """Base class for every error the engine raises."""


class SandboxUnavailable(SandboxError):
    """The machine cannot run sandboxes right now (tool, user or runtime missing).

    Raised instead of ever running learner code without a sandbox.
    """


class SandboxBusy(SandboxError):
    """Every grading slot stayed taken for longer than the configured wait."""


class LabBundleError(SandboxError):
    """A lab bundle (lab.toml, folders) does not follow docs/LAB_FORMAT.md."""

    def __init__(self, bundle: str, problems: list[str]) -> None:
        self.bundle = bundle
        self.problems = list(problems)
        joined = "; ".join(self.problems)
        super().__init__(f"invalid lab bundle {bundle}: {joined}")
