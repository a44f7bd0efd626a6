"""Labs, their immutable versions, learners' sessions, submissions and per-check results.

A lab bundle (docs/LAB_FORMAT.md) is stored as a :class:`LabVersion`: the bundle's files as a zip,
its parsed ``lab.toml``, and a content hash; a changed bundle makes a new version, and every
submission points at the version it was graded against. Grading advances a submission (and an
exploit attempt: both are :class:`GradingJob` rows) through ``queued -> running -> finished`` with
conditional updates, so no job runs twice; validating a version advances it through
``pending -> queued -> running -> valid | invalid`` the same way.
"""

from labs.models.catalogue import (
    Difficulty,
    Framework,
    Lab,
    LabQuerySet,
    LabVersion,
    ValidationStatus,
    VulnerabilityClass,
)
from labs.models.jobs import (
    VERDICT_GUIDANCE,
    CheckKind,
    CheckOutcome,
    CheckResult,
    ExploitAttempt,
    ExploitMode,
    ExploitTarget,
    GradingJob,
    GradingJobQuerySet,
    JobStatus,
    Submission,
    SubmissionKind,
    SubmissionQuerySet,
    Verdict,
)
from labs.models.sessions import LabSession

__all__ = [
    "VERDICT_GUIDANCE",
    "CheckKind",
    "CheckOutcome",
    "CheckResult",
    "Difficulty",
    "ExploitAttempt",
    "ExploitMode",
    "ExploitTarget",
    "Framework",
    "GradingJob",
    "GradingJobQuerySet",
    "JobStatus",
    "Lab",
    "LabQuerySet",
    "LabSession",
    "LabVersion",
    "Submission",
    "SubmissionKind",
    "SubmissionQuerySet",
    "ValidationStatus",
    "Verdict",
    "VulnerabilityClass",
]
