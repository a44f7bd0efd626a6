"""Rules that keep quizzes from being answerable by pattern instead of understanding.

A learner who notices that "false" is usually right, or that the longest option is usually the
correct one, can pass without reading a word. These checks run over quiz files as parsed TOML
(the same data the loader sees) so a content test can hold every quiz to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from courses.models import QuestionKind
from portal.lib.owasp import is_current

#: Share of true/false questions, across all quizzes, whose answer is "true".
TRUE_SHARE = (0.40, 0.60)
#: A quiz with this many true/false questions must not have them all the same way.
MIN_TF_FOR_MIX = 4
#: Largest share of single-choice questions whose correct option is strictly the longest.
LONGEST_SHARE = 1 / 3
#: Per quiz, the longest-option rule applies once it has this many single-choice questions.
MIN_SINGLE_PER_QUIZ = 6
MIN_QUESTIONS = 10
#: Options that give the answer away or fill a slot without testing anything.
THROWAWAY = re.compile(
    r"^\W*(none of the above|all of the above|none of these|all of these|i don'?t know|"
    r"it depends|not sure|nothing|no idea)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Tally:
    """Counts across a set of quizzes, for the report and the shares."""

    true_false: int
    true_answers: int
    single: int
    longest_correct: int

    @property
    def true_share(self) -> float:
        return self.true_answers / self.true_false if self.true_false else 0.5

    @property
    def longest_share(self) -> float:
        return self.longest_correct / self.single if self.single else 0.0


def questions_of(quiz: dict[str, Any]) -> list[dict[str, Any]]:
    return list(quiz.get("questions") or [])


def correct_is_longest(question: dict[str, Any]) -> bool:
    """Whether the correct option of a single-choice question is strictly the longest."""
    choices = question.get("choices") or []
    correct = [len(str(c.get("text", "")).strip()) for c in choices if c.get("correct")]
    wrong = [len(str(c.get("text", "")).strip()) for c in choices if not c.get("correct")]
    return len(correct) == 1 and bool(wrong) and correct[0] > max(wrong)


def tally(quizzes: Iterable[dict[str, Any]]) -> Tally:
    true_false = true_answers = single = longest = 0
    for quiz in quizzes:
        for q in questions_of(quiz):
            if q.get("kind") == QuestionKind.TRUE_FALSE:
                true_false += 1
                true_answers += q.get("answer") is True
            elif q.get("kind") == QuestionKind.SINGLE:
                single += 1
                longest += correct_is_longest(q)
    return Tally(true_false, true_answers, single, longest)


def quiz_problems(name: str, quiz: dict[str, Any]) -> list[str]:
    """Every balance problem of one quiz, each naming the quiz and question."""
    problems: list[str] = []
    questions = questions_of(quiz)
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"{name}: has {len(questions)} questions, needs {MIN_QUESTIONS}")
    counts = tally([quiz])
    if counts.true_false >= MIN_TF_FOR_MIX and counts.true_answers in (0, counts.true_false):
        problems.append(
            f"{name}: all {counts.true_false} true/false answers are "
            f"{'true' if counts.true_answers else 'false'}"
        )
    if counts.single >= MIN_SINGLE_PER_QUIZ and counts.longest_share > LONGEST_SHARE:
        problems.append(
            f"{name}: the correct option is the longest in {counts.longest_correct} of "
            f"{counts.single} single-choice questions (at most a third allowed)"
        )
    for number, q in enumerate(questions, start=1):
        label = f"{name} question {number}"
        if not any(is_current(str(code)) for code in q.get("owasp") or []):
            problems.append(f"{label}: needs an OWASP Top 10 2025 id")
        for choice in q.get("choices") or []:
            text = str(choice.get("text", "")).strip()
            if not str(choice.get("explanation", "")).strip():
                problems.append(f"{label}: option '{text[:40]}' has no explanation")
            if THROWAWAY.match(text):
                problems.append(f"{label}: '{text}' is a throwaway option")
    return problems


def overall_problems(quizzes: Iterable[dict[str, Any]]) -> list[str]:
    """Problems visible only across all quizzes together."""
    counts = tally(quizzes)
    problems: list[str] = []
    low, high = TRUE_SHARE
    if counts.true_false and not low <= counts.true_share <= high:
        problems.append(
            f"{counts.true_answers} of {counts.true_false} true/false answers are true "
            f"({counts.true_share:.0%}); keep it within {low:.0%}-{high:.0%}"
        )
    if counts.single and counts.longest_share > LONGEST_SHARE:
        problems.append(
            f"the correct option is the longest in {counts.longest_correct} of {counts.single} "
            "single-choice questions; at most a third may be"
        )
    return problems
