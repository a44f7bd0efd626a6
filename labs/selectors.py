"""What lab pages read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from labs.models import CheckOutcome, Lab, LabSession, LabVersion, Submission, SubmissionKind
from portal.models import User


def bundle_dir_for(target: str) -> Path:
    """A bundle folder from a path, or from a lab slug (its published, else newest, version)."""
    path = Path(target)
    if (path / "lab.toml").is_file():
        return path
    content = Path(settings.LAB_CONTENT_DIR) / target
    lab = Lab.objects.filter(slug=target).first()
    version: LabVersion | None = None
    if lab is not None:
        version = lab.published_version or lab.versions.order_by("-number").first()
    if version is not None:
        return version.bundle_dir()
    if (content / "lab.toml").is_file():
        return content
    raise FileNotFoundError(f"{target}: neither a bundle folder nor a known lab slug")


@dataclass(frozen=True)
class LabCard:
    lab: Lab
    solved: bool
    started: bool


def lab_catalogue(*, user: User, framework: str = "", difficulty: str = "") -> list[LabCard]:
    """Published labs with the viewer's own progress marks, in two queries."""
    labs = Lab.objects.published().order_by("difficulty", "title")
    if framework:
        labs = labs.filter(framework=framework)
    if difficulty:
        labs = labs.filter(difficulty=difficulty)
    sessions: dict[int, LabSession] = {}
    if user.is_authenticated:
        sessions = {s.lab_id: s for s in LabSession.objects.filter(user=user, lab__in=labs)}
    return [
        LabCard(
            lab=lab,
            solved=bool(sessions.get(lab.pk) and sessions[lab.pk].is_solved),
            started=lab.pk in sessions,
        )
        for lab in labs
    ]


def submission_history(*, session: LabSession) -> QuerySet[Submission]:
    """The learner's graded submissions on a lab, newest first, with pass counts."""
    return session.submissions.filter(kind=SubmissionKind.SUBMIT).annotate(
        n_checks=Count("checks"),
        n_passed=Count("checks", filter=Q(checks__outcome=CheckOutcome.PASSED)),
    )
