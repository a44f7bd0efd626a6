"""One member as a manager reviews them: assigned work, fixes with verdicts and diffs, quiz
attempts and path progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from courses import selectors as course_selectors
from labs import selectors as lab_selectors
from teams.models import Assignment, Membership, Team
from teams.selectors.progress import ItemStatus, assignment_progress


@dataclass(frozen=True)
class MemberDetail:
    membership: Membership
    items: list[tuple[Assignment, ItemStatus]]
    submissions: list[Any]  # labs.selectors.SubmissionRow, newest first
    quiz_attempts: list[Any]  # courses QuizAttempt rows with their quiz, newest first
    paths: list[Any]  # courses.selectors.PathProgress of paths the member has touched

    @property
    def user(self) -> Any:
        return self.membership.user


def member_detail(*, team: Team, user_id: int) -> MemberDetail:
    """Raises ``Membership.DoesNotExist`` when the person is not in the team."""
    membership = Membership.objects.select_related("user").get(team=team, user_id=user_id)
    user = membership.user
    grid = assignment_progress(team=team, users=[user])
    items = [(a, grid.status(a, user)) for a in grid.assignments_of(user)]
    paths = [p for p in course_selectors.paths_progress(user=user) if p.last_touched is not None]
    return MemberDetail(
        membership=membership,
        items=items,
        submissions=lab_selectors.learner_fix_submissions(user_id=user.pk),
        quiz_attempts=list(course_selectors.learner_quiz_attempts(user_id=user.pk)),
        paths=paths,
    )


@dataclass(frozen=True)
class MemberSubmission:
    membership: Membership
    page: Any  # labs.selectors.SubmissionPage

    @property
    def user(self) -> Any:
        return self.membership.user


def member_submission(*, team: Team, user_id: int, submission_id: int) -> MemberSubmission | None:
    """A member's fix with its checks and diffs; None unless both the member and the
    submission (theirs) exist."""
    membership = (
        Membership.objects.select_related("user").filter(team=team, user_id=user_id).first()
    )
    if membership is None:
        return None
    page = lab_selectors.submission_review(submission_id=submission_id, user_id=user_id)
    return MemberSubmission(membership, page) if page else None
