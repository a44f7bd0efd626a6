"""What a fix changed, read from its files: normalised lines, the lines it added and removed, and
the syntax-tree features it added or removed, each compared with the starter.

Pure functions over ``{path: text}`` maps, so recognition can be tested without the sandbox.
Learner code is only parsed, never run; a file that does not parse simply yields no tree.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

_SPACES = re.compile(r"\s+")
_TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".js", ".css", ".txt")


def is_python(path: str) -> bool:
    return path.endswith(".py")


def is_template(path: str) -> bool:
    return path.endswith(_TEMPLATE_SUFFIXES)


def normalise(line: str, *, python: bool) -> str:
    """A line without indentation, runs of spaces or (in Python) a trailing comment.

    Cutting at ``#`` may also cut a string that holds one; both sides are cut the same way, so a
    comparison stays fair.
    """
    if python and "#" in line:
        line = line.split("#", 1)[0]
    return _SPACES.sub(" ", line).strip()


def lines_of(path: str, text: str) -> list[str]:
    python = is_python(path)
    return [n for n in (normalise(line, python=python) for line in text.splitlines()) if n]


@lru_cache(maxsize=128)
def parse(text: str) -> ast.Module | None:
    """The file's tree, or None when it does not parse (the grader reports that on its own).

    Cached: a lab's starter and fixes are compared again and again; trees are never modified.
    """
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return f".{func.attr}"
    if isinstance(func, ast.Name):
        return func.id
    return ""


@lru_cache(maxsize=128)
def text_features(text: str) -> frozenset[str]:
    return frozenset(tree_features(parse(text)))


def tree_features(tree: ast.Module | None) -> set[str]:
    """Coarse facts about a module: functions defined, calls made, exception handlers, checks."""
    if tree is None:
        return set()
    features: set[str] = set()
    try:
        nodes = list(ast.walk(tree))
    except RecursionError:
        return set()
    for node in nodes:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            features.add(f"def:{node.name}")
        elif isinstance(node, ast.Call):
            name = _call_name(node.func)
            if name:
                features.add(f"call:{name}")
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    features.add(f"arg:{name}:{arg.value[:20]}")
        elif isinstance(node, ast.ExceptHandler):
            kind = ast.unparse(node.type) if node.type is not None else "bare"
            features.add(f"except:{kind}")
        elif isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=False):
                if isinstance(op, ast.In | ast.NotIn) and isinstance(node.left, ast.Constant):
                    features.add(f"in:{node.left.value!r}"[:40])
                if isinstance(right, ast.Constant):
                    features.add(f"cmp:{right.value!r}"[:40])
        elif isinstance(node, ast.Raise):
            features.add("raise")
    return features


@dataclass(frozen=True)
class FileChange:
    """One file as submitted, next to the same file in the starter."""

    path: str
    before: str
    after: str

    @cached_property
    def before_lines(self) -> list[str]:
        return lines_of(self.path, self.before)

    @cached_property
    def after_lines(self) -> list[str]:
        return lines_of(self.path, self.after)

    @cached_property
    def added(self) -> set[str]:
        return set(self.after_lines) - set(self.before_lines)

    @cached_property
    def removed(self) -> set[str]:
        return set(self.before_lines) - set(self.after_lines)

    @cached_property
    def counted_tokens(self) -> set[str]:
        """Added (``+``) and removed (``-``) lines, each repeat numbered, so that the same check
        added to a second route counts as a change of its own."""
        after, before = Counter(self.after_lines), Counter(self.before_lines)
        out = set()
        for sign, extra, base in (("+", after, before), ("-", before, after)):
            for line, count in (extra - base).items():
                start = base.get(line, 0)
                out |= {f"{sign}{self.path}:{line}#{start + i}" for i in range(count)}
        return out

    @cached_property
    def before_tree(self) -> ast.Module | None:
        return parse(self.before) if is_python(self.path) else None

    @cached_property
    def after_tree(self) -> ast.Module | None:
        return parse(self.after) if is_python(self.path) else None

    @cached_property
    def added_nodes(self) -> tuple[ast.AST, ...]:
        """Nodes of the submitted file that start on a line the starter does not have."""
        tree = self.after_tree
        if tree is None or not self.added:
            return ()
        try:
            nodes = list(ast.walk(tree))
        except RecursionError:
            return ()
        return tuple(n for n in nodes if self.added_line(getattr(n, "lineno", 0) or 0))

    @cached_property
    def _numbered(self) -> list[str]:
        """The submitted file's lines, normalised, by 0-based line number."""
        python = is_python(self.path)
        return [normalise(line, python=python) for line in self.after.splitlines()]

    def added_line(self, lineno: int) -> bool:
        """Whether line ``lineno`` (1-based) of the submitted file is new (not in the starter)."""
        text = self.source_line(lineno)
        return bool(text) and text in self.added

    def source_line(self, lineno: int) -> str:
        numbered = self._numbered
        return numbered[lineno - 1] if 1 <= lineno <= len(numbered) else ""


@dataclass(frozen=True)
class Change:
    """A whole fix: every file that differs from the starter."""

    files: tuple[FileChange, ...]

    @classmethod
    def between(cls, starter: dict[str, str], submitted: dict[str, str]) -> Change:
        changed = tuple(
            FileChange(path=path, before=starter.get(path, ""), after=text)
            for path, text in sorted(submitted.items())
            if text != starter.get(path, "")
        )
        return cls(files=changed)

    @cached_property
    def tokens(self) -> set[str]:
        """Every added and removed line, tagged with its file: what a diff would show."""
        out: set[str] = set()
        for change in self.files:
            out |= change.counted_tokens
        return out

    @cached_property
    def tree_delta(self) -> set[str]:
        """Syntax-tree features added (``+``) or removed (``-``) compared with the starter."""
        out: set[str] = set()
        for change in self.files:
            if not is_python(change.path):
                continue
            before = text_features(change.before)
            after = text_features(change.after)
            out |= {f"+{change.path}:{f}" for f in after - before}
            out |= {f"-{change.path}:{f}" for f in before - after}
        return out

    @cached_property
    def all_lines(self) -> set[str]:
        return {line for change in self.files for line in change.after_lines}

    @property
    def empty(self) -> bool:
        return not self.tokens


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)
