"""What lab pages read, one module per page family; this package re-exports the public names.

- :mod:`~labs.selectors.catalogue`: the catalogue's cards and filters;
- :mod:`~labs.selectors.workspace`: a learner's workspace on a lab;
- :mod:`~labs.selectors.submissions`: a submission's status and page;
- :mod:`~labs.selectors.versions`: a version's validation report (admin);
- :mod:`~labs.selectors.shared`: what other apps may read about labs.
"""

from __future__ import annotations

from labs.selectors.catalogue import (
    CatalogueOptions,
    Chip,
    LabCard,
    LabProgress,
    any_lab_published,
    lab_catalogue,
    lab_catalogue_options,
    lab_search_documents,
)
from labs.selectors.shared import (
    FailedCheck,
    LabRecord,
    SubmissionRow,
    WeaknessCell,
    failed_security_checks,
    failed_security_checks_by_learner,
    lab_activity_by_day,
    lab_by_slug,
    lab_records,
    lab_sessions_for,
    lab_slugs,
    labs_solved_counts,
    learner_fix_submissions,
    published_labs,
    submission_review,
    user_lab_sessions,
    vulnerability_classes,
    weakness_cells,
)
from labs.selectors.submissions import (
    LiveCheck,
    SubmissionPage,
    SubmissionStatusView,
    submission_page,
    submission_status,
)
from labs.selectors.versions import (
    RuleRow,
    VersionValidation,
    lab_version_validation,
)
from labs.selectors.workspace import (
    HintItem,
    LabWorkspace,
    WorkspaceFile,
    lab_workspace,
    learner_exploits,
    learner_session,
    learner_submissions,
    queue_position,
    submission_history,
)

__all__ = [
    "CatalogueOptions",
    "Chip",
    "FailedCheck",
    "HintItem",
    "LabCard",
    "LabProgress",
    "LabRecord",
    "LabWorkspace",
    "LiveCheck",
    "RuleRow",
    "SubmissionPage",
    "SubmissionRow",
    "SubmissionStatusView",
    "VersionValidation",
    "WeaknessCell",
    "WorkspaceFile",
    "any_lab_published",
    "failed_security_checks",
    "failed_security_checks_by_learner",
    "lab_activity_by_day",
    "lab_by_slug",
    "lab_catalogue",
    "lab_catalogue_options",
    "lab_records",
    "lab_search_documents",
    "lab_sessions_for",
    "lab_slugs",
    "lab_version_validation",
    "lab_workspace",
    "labs_solved_counts",
    "learner_exploits",
    "learner_fix_submissions",
    "learner_session",
    "learner_submissions",
    "published_labs",
    "queue_position",
    "submission_history",
    "submission_page",
    "submission_review",
    "submission_status",
    "user_lab_sessions",
    "vulnerability_classes",
    "weakness_cells",
]
