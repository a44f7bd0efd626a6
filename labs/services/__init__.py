"""Writes of the labs app, one module per concept; this package re-exports the public names.

- :mod:`~labs.services.versions`: store bundles as versions, validate (in the worker), publish;
- :mod:`~labs.services.bundles`: read bundle folders and zips safely, lay versions on disk;
- :mod:`~labs.services.validation`: the rules a bundle must pass (docs/LAB_FORMAT.md);
- :mod:`~labs.services.sessions`: learners' drafts, hints, revealing the solution;
- :mod:`~labs.services.submissions`: snapshot and queue a learner's files;
- :mod:`~labs.services.grading`: claim, grade, store results and live checks, requeue stale runs;
- :mod:`~labs.services.exploits`: queue and run the exploit step;
- :mod:`~labs.services.wrong_fixes`: recognise a failed fix as a known or common wrong fix;
- :mod:`~labs.services.engine`: the one module that talks to the sandbox engine.

The web process only stores rows and queues tasks (after commit); the worker calls
:func:`submission_grade`, :func:`exploit_attempt_run` and :func:`lab_version_validation_run`,
which claim their row with a conditional update so that nothing runs twice.
"""

from __future__ import annotations

from labs.services.bundles import (
    BundleError,
    BundleFiles,
    bundle_dir_for,
    read_folder,
    read_zip,
    version_bundle_dir,
)
from labs.services.engine import sandbox_config, sandbox_limits
from labs.services.errors import LabError
from labs.services.exploits import exploit_attempt_create, exploit_attempt_run
from labs.services.grading import GradeOutcome, JobState, requeue_stale, submission_grade
from labs.services.sessions import (
    clean_files,
    draft_reset,
    draft_save,
    hint_reveal,
    lab_session_start,
    solution_reveal,
)
from labs.services.submissions import submission_create, submission_regrade
from labs.services.validation import ValidationReport, validate_bundle
from labs.services.versions import (
    lab_unpublish,
    lab_version_publish,
    lab_version_store,
    lab_version_validate,
    lab_version_validation_queue,
    lab_version_validation_run,
    lab_versions_validate,
)

__all__ = [
    "BundleError",
    "BundleFiles",
    "GradeOutcome",
    "JobState",
    "LabError",
    "ValidationReport",
    "bundle_dir_for",
    "clean_files",
    "draft_reset",
    "draft_save",
    "exploit_attempt_create",
    "exploit_attempt_run",
    "hint_reveal",
    "lab_session_start",
    "lab_unpublish",
    "lab_version_publish",
    "lab_version_store",
    "lab_version_validate",
    "lab_version_validation_queue",
    "lab_version_validation_run",
    "lab_versions_validate",
    "read_folder",
    "read_zip",
    "requeue_stale",
    "sandbox_config",
    "sandbox_limits",
    "solution_reveal",
    "submission_create",
    "submission_grade",
    "submission_regrade",
    "validate_bundle",
    "version_bundle_dir",
]
