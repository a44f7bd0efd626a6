"""Side-by-side changes between two sets of files, as rows a template can show."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

#: The mark shown before a line of each kind (a hunk header carries its own ``@@``).
MARKS = {"added": "+", "removed": "\u2212", "hunk": "", "context": " "}


@dataclass(frozen=True)
class DiffLine:
    kind: str  # context | added | removed | hunk (also the line's CSS class)
    text: str

    @property
    def mark(self) -> str:
        return MARKS[self.kind]


@dataclass(frozen=True)
class FileDiff:
    path: str
    lines: list[DiffLine]
    added: int
    removed: int


def files_diff(before: dict[str, str], after: dict[str, str]) -> list[FileDiff]:
    """Unified-diff rows per changed file (3 lines of context); unchanged files are left out."""
    out: list[FileDiff] = []
    for path in sorted(set(before) | set(after)):
        old = before.get(path, "").splitlines()
        new = after.get(path, "").splitlines()
        if old == new:
            continue
        lines: list[DiffLine] = []
        added = removed = 0
        for raw in list(difflib.unified_diff(old, new, lineterm="", n=3))[2:]:
            if raw.startswith("@@"):
                lines.append(DiffLine("hunk", raw))
            elif raw.startswith("+"):
                lines.append(DiffLine("added", raw[1:]))
                added += 1
            elif raw.startswith("-"):
                lines.append(DiffLine("removed", raw[1:]))
                removed += 1
            else:
                lines.append(DiffLine("context", raw[1:]))
        out.append(FileDiff(path, lines, added, removed))
    return out
