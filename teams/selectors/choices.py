"""What a manager may assign: published learning paths, quizzes and labs.

Read through the courses and labs selectors as an anonymous visitor would see them, so a draft
(which only authors see) can never be assigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from courses import selectors as course_selectors
from labs import selectors as lab_selectors
from teams.models import AssignmentKind


@dataclass(frozen=True)
class Assignable:
    kind: str
    target: Any

    @property
    def value(self) -> str:
        """The value of this choice in a form: ``kind:id``."""
        return f"{self.kind}:{self.target.pk}"

    @property
    def title(self) -> str:
        return self.target.title


def assignable_items() -> dict[str, list[Assignable]]:
    """Published paths, quizzes and labs by kind, each list ordered by title."""
    public = AnonymousUser()
    paths = [p.path for p in course_selectors.paths_progress(user=public)]
    quizzes = [card.quiz for card in course_selectors.quiz_list(user=public)]
    labs = list(lab_selectors.published_labs().order_by("title"))
    return {
        AssignmentKind.PATH: [Assignable(AssignmentKind.PATH, p) for p in paths],
        AssignmentKind.QUIZ: [Assignable(AssignmentKind.QUIZ, q) for q in quizzes],
        AssignmentKind.LAB: [Assignable(AssignmentKind.LAB, lab) for lab in labs],
    }


def grouped_choices(items: dict[str, list[Assignable]] | None = None) -> list[Any]:
    """Choices for one grouped ``<select>``: an option group per kind, ``kind:id`` values."""
    items = assignable_items() if items is None else items
    groups = []
    for kind in AssignmentKind:
        options = [(item.value, item.title) for item in items.get(kind, [])]
        if options:
            groups.append((f"{kind.label}s", options))
    return groups


def is_assignable(*, kind: str, target: Any) -> bool:
    """Whether this target is published and of this kind (the service's last check)."""
    if target is None or kind not in AssignmentKind.values:
        return False
    return any(item.target.pk == target.pk for item in assignable_items()[kind])


def resolve_choice(value: str, items: dict[str, list[Assignable]] | None = None) -> Assignable:
    """The assignable item a form value (``kind:id``) names; ``LookupError`` when none does."""
    items = assignable_items() if items is None else items
    kind, _, raw_id = value.partition(":")
    for item in items.get(kind, []):
        if str(item.target.pk) == raw_id:
            return item
    raise LookupError(value)
