"""A learner's workspace on a lab: files, hints, history, the run in flight."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from labs.models import (
    CheckOutcome,
    ExploitAttempt,
    ExploitMode,
    JobStatus,
    Lab,
    LabSession,
    LabVersion,
    Submission,
    SubmissionKind,
)
from portal.models import User


def submission_history(*, session: LabSession) -> QuerySet[Submission]:
    """The learner's graded submissions on a lab, newest first, with pass counts."""
    # Meta.ordering does not apply to a query with GROUP BY: order it here.
    return (
        session.submissions.filter(kind=SubmissionKind.SUBMIT)
        .annotate(
            n_checks=Count("checks"),
            n_passed=Count("checks", filter=Q(checks__outcome=CheckOutcome.PASSED)),
        )
        .order_by("-created_at", "-id")
    )


def learner_submissions(*, user: User) -> QuerySet[Submission]:
    """The learner's own submissions (anyone else's do not exist for them)."""
    return Submission.objects.filter(session__user=user).select_related("session__lab", "version")


def learner_exploits(*, user: User) -> QuerySet[ExploitAttempt]:
    """The learner's own exploit attempts."""
    return ExploitAttempt.objects.filter(session__user=user).select_related("session__lab")


def queue_position(submission: Submission) -> int:
    """How many queued submissions are ahead of this one (0: next)."""
    if submission.status != JobStatus.QUEUED:
        return 0
    return Submission.objects.filter(
        status=JobStatus.QUEUED, created_at__lt=submission.created_at
    ).count()


@dataclass(frozen=True)
class WorkspaceFile:
    path: str
    editable: bool
    text: str

    @property
    def folder(self) -> str:
        """The folders of the path (``catalogue`` of ``catalogue/search.py``), or ""."""
        return self.path.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]


@dataclass(frozen=True)
class TreeFile:
    """A file in the tree, with its place in the editor (``number``: 1 for the first file)."""

    number: int
    file: WorkspaceFile


@dataclass
class TreeFolder:
    """A folder of the file tree: its sub-folders, then its files, each sorted by name."""

    name: str
    path: str
    folders: list[TreeFolder] = field(default_factory=list)
    files: list[TreeFile] = field(default_factory=list)


def file_tree(files: list[WorkspaceFile]) -> TreeFolder:
    """The files grouped by folder, as nested folders (numbered in ``files``' order)."""
    root = TreeFolder(name="", path="")
    for number, item in enumerate(files, start=1):
        folder = root
        for part in [p for p in item.folder.split("/") if p]:
            child = next((f for f in folder.folders if f.name == part), None)
            if child is None:
                child = TreeFolder(name=part, path=f"{folder.path}{part}/")
                folder.folders.append(child)
            folder = child
        folder.files.append(TreeFile(number=number, file=item))

    def tidy(folder: TreeFolder) -> None:
        folder.folders.sort(key=lambda f: f.name)
        folder.files.sort(key=lambda f: f.file.name)
        for child in folder.folders:
            tidy(child)

    tidy(root)
    return root


@dataclass(frozen=True)
class HintItem:
    index: int
    cost: int
    text: str
    revealed: bool


@dataclass(frozen=True)
class LabWorkspace:
    """Everything a learner's lab page shows: brief, editor files, hints, history, runs."""

    session: LabSession
    files: list[WorkspaceFile]
    hints: list[HintItem]
    history: list[Submission]
    latest_exploit: ExploitAttempt | None
    in_flight: Submission | None
    newer_version: bool
    #: The newest run of either kind (public tests or a graded fix): the workspace's test
    #: output panel shows it in place, live while it runs.
    latest_run: Submission | None = None
    #: The exploit mode the form offers first: a script when the attack takes several requests.
    exploit_mode: str = ExploitMode.REQUEST
    #: The lab's reference exploit sends several requests to one running app, which the
    #: one-request mode (a fresh copy of the app per send) cannot do.
    several_requests: bool = False

    @property
    def lab(self) -> Lab:
        return self.session.lab

    @property
    def tree(self) -> TreeFolder:
        return file_tree(self.files)

    @property
    def version(self) -> LabVersion:
        return self.session.version


def learner_session(*, user: User, lab: Lab) -> LabSession:
    """The learner's session on a published lab, or, before their first action, an unsaved one
    holding the starter draft: opening the page (a GET any site can link to) records nothing,
    and the first save, run, hint or attack starts the session for real."""
    session = LabSession.objects.filter(user=user, lab=lab).select_related("version").first()
    if session is not None:
        return session
    version = lab.published_version
    return LabSession(
        user=user,
        lab=lab,
        version=version,
        draft_files={path: version.starter_files.get(path, "") for path in version.editable},
    )


def lab_workspace(*, session: LabSession) -> LabWorkspace:
    """The learner's lab page: editable files first (their draft), then the read-only ones."""
    version = session.version
    started = session.pk is not None
    editable = set(version.editable)
    files = [
        WorkspaceFile(
            path=path,
            editable=path in editable,
            text=session.draft_files.get(path, text) if path in editable else text,
        )
        for path, text in sorted(
            version.starter_files.items(), key=lambda item: (item[0] not in editable, item[0])
        )
    ]
    several = bool(version.manifest.get("exploit")) and exploit_needs_several_requests(version)
    hints = [
        HintItem(
            index=i,
            cost=int(hint.get("cost", 0)),
            text=str(hint.get("text", "")),
            revealed=i in session.hints_revealed,
        )
        for i, hint in enumerate(version.hints)
    ]
    return LabWorkspace(
        session=session,
        files=files,
        hints=hints,
        history=list(submission_history(session=session)[:20]) if started else [],
        latest_exploit=session.exploits.order_by("-created_at").first() if started else None,
        in_flight=session.submissions.in_flight().first() if started else None,
        latest_run=(
            session.submissions.select_related("session__lab", "version")
            .order_by("-created_at")
            .first()
            if started
            else None
        ),
        newer_version=session.lab.published_version_id != version.pk,
        exploit_mode=ExploitMode.SCRIPT if several else ExploitMode.REQUEST,
        several_requests=several,
    )


_CLIENT_CALL = re.compile(r"\bclient\.(?:get|post|put|patch|delete|head|options|request|stream)\(")


def exploit_needs_several_requests(version: LabVersion) -> bool:
    """Whether the attack takes several requests against one running app: a lab says so with
    ``[exploit] mode = "script"`` (or ``"request"``), else its reference exploit tells."""
    mode = (version.manifest.get("exploit") or {}).get("mode")
    if mode in ExploitMode.values:
        return mode == ExploitMode.SCRIPT
    if version.content_hash not in _SOLVE_REQUESTS:
        _SOLVE_REQUESTS[version.content_hash] = _solve_requests(bytes(version.archive or b""))
    return _SOLVE_REQUESTS[version.content_hash] > 1


#: Requests of each version's reference exploit, by content hash (a version never changes).
_SOLVE_REQUESTS: dict[str, int] = {}


def _solve_requests(archive: bytes) -> int:
    """How many requests the bundle's ``exploit/solve.py`` sends."""
    if not archive:
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            names = [n for n in bundle.namelist() if n.endswith("exploit/solve.py")]
            text = bundle.read(min(names, key=len)).decode("utf-8", "replace") if names else ""
    except (zipfile.BadZipFile, KeyError, OSError):
        return 0
    return len(_CLIENT_CALL.findall(text))
