"""What a load tells its caller: invalid files (nothing written), or what changed."""

from __future__ import annotations

from dataclasses import dataclass, field


class ContentError(Exception):
    """Invalid content files; ``problems`` are ``path:line: message`` strings."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated)
