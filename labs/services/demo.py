"""The labs part of the demo (``manage.py seed_demo_labs``): the demo team's fixes, graded for real.

Each member's sessions and fix submissions go through :func:`lab_session_start` and
:func:`submission_create`, and each submission is graded in the sandbox by
:func:`submission_grade`, synchronously, exactly as the worker would: the files are the lab's own
reference solution or one of its bad fixes (the wrong fixes every bundle carries, with the verdict
they are known to get). So every verdict, failed security check and solved lab on the dashboard is
one the grader really gave. The rows are then moved back over the last weeks (this app owns them),
so the activity chart has a history.

Who tries which lab, and who first gets it wrong, comes from the plan in :mod:`portal.demo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from django.conf import settings
from django.utils import timezone

from labs.models import Lab, LabSession, LabVersion, Submission
from labs.services import engine
from labs.services.bundles import BundleError, read_zip
from labs.services.errors import LabError
from labs.services.grading import JobState, submission_grade
from labs.services.sessions import lab_session_start, starter_editable
from labs.services.submissions import submission_create
from portal.demo import DEMO_LABS, DEMO_MEMBERS, DemoMember
from portal.models import User

#: Gradings one seed may run: each takes a second or two of sandbox time.
MAX_GRADINGS = 36
SOLUTION = "solution"


@dataclass
class LabSeedReport:
    gradings: int = 0
    solved: int = 0
    failed: int = 0
    skipped: int = 0  # (member, lab) pairs left alone because a session already exists
    unavailable: str = ""  # why the sandbox could not be used; nothing was graded then
    verdicts: list[str] = field(default_factory=list)


def demo_lab_history_seed(
    *, now: datetime | None = None, max_gradings: int = MAX_GRADINGS
) -> LabSeedReport:
    """Sessions and graded fix submissions for the demo members who have accounts.

    Idempotent: a member who already has a session on a lab (from an earlier seed, or their own
    work) is left alone on that lab. Without a working sandbox nothing is written and the report
    says why.
    """
    now = now or timezone.now()
    report = LabSeedReport()
    report.unavailable = engine.unavailable_reason()
    if report.unavailable:
        return report
    users = {u.email: u for u in User.objects.filter(email__in=[m.email for m in DEMO_MEMBERS])}
    labs = {
        lab.slug: lab
        for lab in Lab.objects.filter(
            slug__in=DEMO_LABS, published_version__isnull=False
        ).select_related("published_version")
    }
    started = set(
        LabSession.objects.filter(user__in=users.values(), lab__in=labs.values()).values_list(
            "user_id", "lab_id"
        )
    )
    for rank, slug in enumerate(DEMO_LABS):
        lab = labs.get(slug)
        if lab is None:
            continue
        for member in DEMO_MEMBERS:
            user = users.get(member.email)
            if user is None:
                continue
            if (user.pk, lab.pk) in started:
                report.skipped += 1
                continue
            plan = _attempts_planned(member, lab, rank)
            if not plan or report.gradings + len(plan) > max_gradings:
                continue
            _member_lab_seed(
                member=member, user=user, lab=lab, plan=plan, rank=rank, now=now, report=report
            )
    return report


def _attempts_planned(member: DemoMember, lab: Lab, rank: int) -> list[str]:
    """What the member submits on this lab, in order: bad fixes' expected verdicts, then perhaps
    the solution. Empty when they have not tried the lab."""
    rng = member.random(f"lab:{lab.slug}")
    if rng.random() >= member.diligence + 0.35 - 0.3 * rank or lab.slug in member.untouched:
        return []
    plan: list[str] = []
    if lab.vulnerability_class in member.weak_classes:
        plan.append("still_exploitable")  # a fix that keeps the hole open: the weakness map
        persists = rng.random() < member.diligence - 0.3
    else:
        if rng.random() < (1 - member.diligence) * 0.8:
            plan.append("broken")  # closed the hole but broke a feature on the way
        persists = rng.random() < member.diligence
    if not plan or persists:
        plan.append(SOLUTION)
    return plan


def _fix_files(version: LabVersion, expect: str, rng: Random) -> dict[str, str] | None:
    """The editable files of the reference solution, or of one bad fix with that verdict."""
    editable = set(version.editable)
    if expect == SOLUTION:
        overlay = version.solution_files
    else:
        names = [b["name"] for b in version.bad_fixes if b.get("expect") == expect]
        if not names:
            return None
        name = rng.choice(sorted(names))
        try:
            overlay = read_zip(bytes(version.archive)).text_files(f"bad_fixes/{name}")
        except BundleError:
            return None
    files = {path: text for path, text in overlay.items() if path in editable}
    return files or None


def _member_lab_seed(
    *,
    member: DemoMember,
    user: User,
    lab: Lab,
    plan: list[str],
    rank: int,
    now: datetime,
    report: LabSeedReport,
) -> None:
    rng = member.random(f"lab-files:{lab.slug}")
    session = lab_session_start(user=user, lab=lab)
    first = member.moment(topic=f"lab:{lab.slug}", fraction=0.15 + 0.2 * rank, now=now)
    when = first
    for expect in plan:
        files = _fix_files(session.version, expect, rng)
        if files is None:
            continue
        when += timedelta(minutes=rng.randint(12, 50), hours=rng.choice([0, 0, 20, 44]))
        when = min(when, now - timedelta(minutes=30))
        try:
            submission = submission_create(
                session=session, files={**starter_editable(session.version), **files}
            )
        except LabError:
            break
        for _ in range(
            settings.GRADING_MAX_ATTEMPTS
        ):  # a grader error is retried, as the task does
            if submission_grade(submission_id=submission.pk).state != JobState.RETRY:
                break
        report.gradings += 1
        _backdate_submission(submission.pk, when)
        submission.refresh_from_db()
        report.verdicts.append(f"{user.email} {lab.slug} {expect}: {submission.verdict}")
    session.refresh_from_db()
    if session.solved_at is not None:
        report.solved += 1
        session.solved_at = when + timedelta(seconds=5)
    else:
        report.failed += 1
    LabSession.objects.filter(pk=session.pk).update(
        created_at=first - timedelta(minutes=rng.randint(5, 40)),
        updated_at=when + timedelta(seconds=5),
        solved_at=session.solved_at,
    )


def _backdate_submission(pk: int, when: datetime) -> None:
    """Move a graded submission to ``when``, keeping how long its grading took."""
    row = Submission.objects.values("duration_ms").get(pk=pk)
    took = timedelta(milliseconds=row["duration_ms"] or 1500)
    Submission.objects.filter(pk=pk).update(
        created_at=when,
        started_at=when + timedelta(milliseconds=200),
        deadline_at=when + timedelta(seconds=settings.GRADING_DEADLINE_SECONDS),
        finished_at=when + timedelta(milliseconds=200) + took,
    )
