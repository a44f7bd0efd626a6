"""Every quiz file is held to rules that stop learners from passing by pattern: true/false answers
split about evenly, the right option not usually the longest, no throwaway options, an
explanation on every choice, at least ten questions, and an OWASP Top 10 2025 tag on each.

The rule functions are tested on small fake quizzes first, so a broken check cannot pass silently.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from courses.content_files import balance

QUIZ_FILES = sorted((Path(settings.CONTENT_DIR) / "quizzes").glob("*.toml"))


def _load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def tf(answer: bool, owasp: tuple[str, ...] = ("A05:2025",)) -> dict[str, Any]:
    return {"kind": "true_false", "answer": answer, "owasp": list(owasp)}


def single(right: str, *wrong: str, explanation: str = "Why.") -> dict[str, Any]:
    choices = [{"text": right, "correct": True, "explanation": explanation}]
    choices += [{"text": w, "correct": False, "explanation": explanation} for w in wrong]
    return {"kind": "single", "choices": choices, "owasp": ["A01:2025"]}


def quiz(*questions: dict[str, Any]) -> dict[str, Any]:
    return {"questions": list(questions)}


# The rules, on fake quizzes ---------------------------------------------------------------------


def test_the_correct_option_counts_as_longest_only_when_strictly_longer() -> None:
    assert balance.correct_is_longest(single("a much longer answer", "short", "tiny"))
    assert not balance.correct_is_longest(single("same", "size"))
    assert not balance.correct_is_longest(single("short", "a much longer distractor"))


def test_a_quiz_of_only_false_answers_is_reported() -> None:
    fake = quiz(*[tf(False) for _ in range(4)], *[single("a", "bb") for _ in range(6)])
    assert any("all 4 true/false answers are false" in p for p in balance.quiz_problems("q", fake))
    mixed = quiz(tf(False), tf(False), tf(False), tf(True), *[single("a", "bb") for _ in range(6)])
    assert balance.quiz_problems("q", mixed) == []


def test_a_quiz_whose_answer_is_usually_the_longest_is_reported() -> None:
    giveaway = single("the long, careful and correct answer", "no", "nope")
    fair = single("yes", "a long and plausible mistake", "another long mistake")
    padding = [tf(True), tf(False), tf(True), tf(False)]
    two_of_six = quiz(giveaway, giveaway, *[fair] * 4, *padding)
    assert balance.quiz_problems("q", two_of_six) == []  # a third is allowed
    three_of_six = quiz(giveaway, giveaway, giveaway, *[fair] * 3, *padding)
    assert any("longest in 3 of 6" in p for p in balance.quiz_problems("q", three_of_six))
    three_of_five = quiz(*[giveaway] * 3, *[fair] * 2, *padding, tf(True))
    assert balance.quiz_problems("q", three_of_five) == []  # per quiz only from six questions


def test_too_few_questions_missing_tags_and_throwaway_options_are_reported() -> None:
    fake = quiz(
        tf(True, owasp=("A03:2021",)),
        single("Use bound parameters", "None of the above", explanation=""),
    )
    problems = balance.quiz_problems("q", fake)
    assert any("has 2 questions, needs 10" in p for p in problems)
    assert any("question 1: needs an OWASP Top 10 2025 id" in p for p in problems)
    assert any("'None of the above' is a throwaway option" in p for p in problems)
    assert any("has no explanation" in p for p in problems)


def test_the_overall_true_share_must_stay_between_40_and_60_percent() -> None:
    lopsided = [quiz(tf(False), tf(False), tf(False)), quiz(tf(True), tf(False))]
    problems = balance.overall_problems(lopsided)
    assert any("1 of 5 true/false answers are true" in p for p in problems)
    even = [quiz(tf(False), tf(True)), quiz(tf(True), tf(False), tf(True))]
    assert balance.overall_problems(even) == []


def test_the_overall_longest_share_must_be_at_most_a_third() -> None:
    long_right = single("the long, careful and correct answer", "no")
    short_right = single("yes", "a long plausible mistake")
    assert balance.overall_problems([quiz(long_right, long_right, short_right)])
    assert balance.overall_problems([quiz(long_right, short_right, short_right)]) == []


# Every real quiz file --------------------------------------------------------------------------


def test_there_are_quizzes_to_check() -> None:
    assert len(QUIZ_FILES) >= 9


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.stem)
def test_each_quiz_file_follows_the_rules(path: Path) -> None:
    assert balance.quiz_problems(path.stem, _load(path)) == []


def test_all_quizzes_together_follow_the_rules() -> None:
    quizzes = [_load(path) for path in QUIZ_FILES]
    assert balance.overall_problems(quizzes) == []
    counts = balance.tally(quizzes)
    assert counts.true_false >= 20 and counts.single >= 30  # the shares mean something
