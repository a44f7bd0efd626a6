"""The progress grid: each member's state, score, attempts and dates on each assignment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.models import ArticleProgress
from teams.models import Assignment, AssignmentKind
from teams.selectors.progress import ItemState, assignment_progress
from tests.factories import (
    UserFactory,
    make_graded_fix,
    make_lab,
    make_quiz,
    make_quiz_attempt,
    make_team,
)

pytestmark = pytest.mark.django_db


def _assign(team, *, due_in_days: int = 7, whole_team: bool = True, **target) -> Assignment:
    kind = next(iter(target))
    return Assignment.objects.create(
        team=team,
        kind=AssignmentKind(kind),
        whole_team=whole_team,
        due_at=timezone.now() + timedelta(days=due_in_days),
        **target,
    )


def test_lab_assignment_states_scores_attempts_and_overdue(alice, bob, charlie):
    lab = make_lab("team-sqli")
    team = make_team(managers=[bob], members=[alice, charlie])
    assignment = _assign(team, lab=lab, due_in_days=-1)
    earlier = timezone.now() - timedelta(days=3)
    make_graded_fix(alice, lab, verdict="still_exploitable", security=("failed",), at=earlier)
    make_graded_fix(alice, lab, verdict="passed", at=earlier + timedelta(hours=1))

    grid = assignment_progress(team=team)

    assert [u.email for u in grid.members] == ["alice@example.com", "charlie@example.com"]
    done = grid.status(assignment, alice)
    assert done.state == ItemState.COMPLETED
    assert (done.best_score, done.attempts) == (100, 2)
    assert done.completed_at == earlier + timedelta(hours=1)
    assert not done.overdue and not done.late
    assert done.first_activity_at is not None and done.last_activity_at is not None
    behind = grid.status(assignment, charlie)
    assert behind.state == ItemState.NOT_STARTED
    assert behind.overdue and behind.label == "Overdue"
    assert (behind.best_score, behind.attempts, behind.first_activity_at) == (None, 0, None)


def test_a_failed_fix_is_in_progress_and_a_late_solve_is_marked_late(alice, bob):
    lab = make_lab("team-xss", vulnerability_class="cross-site-scripting")
    other = make_lab("team-ssrf", vulnerability_class="ssrf")
    team = make_team(managers=[bob], members=[alice])
    due_passed = _assign(team, lab=lab, due_in_days=-2)
    still_open = _assign(team, lab=other, due_in_days=3)
    make_graded_fix(alice, lab, verdict="passed")
    make_graded_fix(alice, other, verdict="broken", functional=("failed",))

    grid = assignment_progress(team=team)

    late = grid.status(due_passed, alice)
    assert late.state == ItemState.COMPLETED and late.late and not late.overdue
    trying = grid.status(still_open, alice)
    assert trying.state == ItemState.IN_PROGRESS and trying.attempts == 1
    assert trying.best_score is None and not trying.overdue


def test_quiz_assignment_best_score_and_pass(alice, bob, charlie):
    quiz = make_quiz(pass_mark=75)
    team = make_team(managers=[bob], members=[alice, charlie])
    assignment = _assign(team, quiz=quiz)
    make_quiz_attempt(alice, quiz, score=50.0)
    make_quiz_attempt(alice, quiz, score=80.0)
    make_quiz_attempt(charlie, quiz, score=40.0)

    grid = assignment_progress(team=team)

    alice_status = grid.status(assignment, alice)
    assert alice_status.state == ItemState.COMPLETED
    assert (alice_status.best_score, alice_status.attempts) == (80.0, 2)
    charlie_status = grid.status(assignment, charlie)
    assert charlie_status.state == ItemState.IN_PROGRESS
    assert charlie_status.best_score == 40.0


def test_path_assignment_counts_steps_done(alice, bob, path_with_steps):
    team = make_team(managers=[bob], members=[alice])
    assignment = _assign(team, path=path_with_steps)
    first = path_with_steps.steps.get(position=1).article
    ArticleProgress.objects.create(user=alice, article=first, completed_at=timezone.now())

    status = assignment_progress(team=team).status(assignment, alice)

    assert status.state == ItemState.IN_PROGRESS
    assert (status.best_score, status.attempts) == (33.0, 1)


def test_assignment_for_chosen_members_applies_only_to_them(alice, bob, charlie):
    lab = make_lab("team-csrf", vulnerability_class="csrf")
    team = make_team(managers=[bob], members=[alice, charlie])
    chosen = _assign(team, lab=lab, whole_team=False, due_in_days=-1)
    chosen.assignees.add(alice)

    grid = assignment_progress(team=team)

    assert grid.applies(chosen, alice) and not grid.applies(chosen, charlie)
    assert grid.status(chosen, alice).overdue
    assert not grid.status(chosen, charlie).overdue
    assert grid.assignees_of(chosen) == [alice]


def test_grid_for_chosen_people_and_fixed_queries(alice, bob, django_assert_num_queries):
    lab = make_lab("team-cmd", vulnerability_class="command-injection")
    quiz = make_quiz()
    team = make_team(managers=[bob], members=[alice, *UserFactory.create_batch(3)])
    _assign(team, lab=lab)
    _assign(team, quiz=quiz)

    with django_assert_num_queries(5):
        grid = assignment_progress(team=team, users=[alice])
        statuses = [grid.status(a, u) for a in grid.assignments for u in grid.members]

    assert grid.members == [alice]
    assert len(statuses) == 2
