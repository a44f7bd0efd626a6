"""Learners' sessions on a lab: the saved draft, hints, and revealing the solution."""

from __future__ import annotations

from django.utils import timezone

from labs.models import Lab, LabSession, LabVersion
from labs.services import engine
from labs.services.errors import LabError
from portal.models import User

MAX_FILE_CHARS = 100_000
MAX_DRAFT_CHARS = 400_000


def starter_editable(version: LabVersion) -> dict[str, str]:
    """The starter text of the files a learner may change."""
    return {path: version.starter_files.get(path, "") for path in version.editable}


def lab_session_start(*, user: User, lab: Lab) -> LabSession:
    """The learner's session on a published lab, created on first visit with the starter draft."""
    if lab.published_version is None:
        raise LabError("This lab is not published.")
    session, _ = LabSession.objects.get_or_create(
        user=user,
        lab=lab,
        defaults={
            "version": lab.published_version,
            "draft_files": starter_editable(lab.published_version),
        },
    )
    return session


def clean_files(*, version: LabVersion, files: dict[str, str]) -> dict[str, str]:
    """Keep a learner's files only if they are editable paths of a sane size."""
    allowed = set(version.editable)
    cleaned: dict[str, str] = {}
    total = 0
    for path, text in files.items():
        try:
            safe = str(engine.safe_relative_path(path))
        except engine.UnsafePath:
            safe = ""
        if path not in allowed or safe != path:
            raise LabError(f"{path} is not a file you can change in this lab.")
        if not isinstance(text, str):
            raise LabError(f"{path}: the content must be text.")
        text = text.replace("\r\n", "\n")
        if len(text) > MAX_FILE_CHARS:
            raise LabError(f"{path} is longer than {MAX_FILE_CHARS:,} characters.")
        total += len(text)
        cleaned[path] = text
    if total > MAX_DRAFT_CHARS:
        raise LabError("Your files are too large in total.")
    return cleaned


def draft_save(*, session: LabSession, files: dict[str, str]) -> LabSession:
    """Save (part of) the draft; files not sent keep their saved text."""
    cleaned = clean_files(version=session.version, files=files)
    session.draft_files = {**session.draft_files, **cleaned}
    session.save(update_fields=["draft_files", "updated_at"])
    return session


def draft_reset(*, session: LabSession) -> LabSession:
    """Back to the starter files of the lab's current version."""
    version = session.lab.published_version or session.version
    session.version = version
    session.draft_files = starter_editable(version)
    session.save(update_fields=["version", "draft_files", "updated_at"])
    return session


def hint_reveal(*, session: LabSession, index: int) -> LabSession:
    """Show one hint; its cost comes off the score the lab can still earn."""
    hints = session.version.hints
    if not 0 <= index < len(hints):
        raise LabError("There is no such hint.")
    if index not in session.hints_revealed:
        session.hints_revealed = sorted({*session.hints_revealed, index})
        session.save(update_fields=["hints_revealed", "updated_at"])
    return session


def solution_reveal(*, session: LabSession) -> LabSession:
    """Unlock the explanation and the reference fix; an unsolved lab then scores 0."""
    if session.revealed_at is None:
        session.revealed_at = timezone.now()
        if session.solved_at is None:
            session.score = 0
        session.save(update_fields=["revealed_at", "score", "updated_at"])
    return session
