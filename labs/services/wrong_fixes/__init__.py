"""Recognise a failed fix as a known wrong fix, to add a targeted explanation to its verdict.

Two sources, the lab's own first: the lab's bad fixes (``bad_fixes/<name>/`` overlays with their
``why``) are scored against the submission by the checks that failed, the lines the diff from the
starter added and removed, and the syntax-tree features it added or removed; then a shared library
of generic wrong fixes (:mod:`~labs.services.wrong_fixes.generic`). A passed verdict is never
flagged, and neither is anything the reference solution does.

The match is stored in ``Submission.bad_fix`` as the lab bad fix's plain name or as
``generic:<key>``; :func:`describe` turns it back into words at display time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from labs.services.wrong_fixes.code import Change, jaccard
from labs.services.wrong_fixes.generic import BY_KEY, GENERIC_WRONG_FIXES, Signals

__all__ = [
    "FailedCheck",
    "KnownBadFix",
    "LabFixes",
    "Match",
    "MatchSource",
    "WrongFixNote",
    "describe",
    "lab_fixes_from_bundle",
    "recognise",
]

GENERIC_PREFIX = "generic:"
LAB_PREFIX = "lab:"
#: A lab bad fix matches from this score up (0..1), and only when the submission is closer to it
#: than to the reference solution.
LAB_THRESHOLD = 0.5
#: ... and its code alone must be this close to the bad fix's: failing the same checks is not
#: enough, as a sound fix with one gap left (say, values bound as parameters but an f-string
#: ORDER BY) fails the checks of several wrong fixes it has nothing in common with.
LAB_CODE_THRESHOLD = 0.5
PASSED = "passed"


class MatchSource(StrEnum):
    LAB = "lab"
    GENERIC = "generic"


@dataclass(frozen=True)
class FailedCheck:
    test: str
    kind: str  # CheckKind: security | functional


@dataclass(frozen=True)
class KnownBadFix:
    """One of the lab's bad fixes: its overlay files and, once validated, the tests it fails."""

    name: str
    why: str
    files: dict[str, str]
    signature: frozenset[str] | None = None


@dataclass(frozen=True)
class LabFixes:
    """What recognition knows of a lab version: starter, reference overlay, bad fixes, class."""

    starter: dict[str, str]
    solution: dict[str, str]
    bad_fixes: tuple[KnownBadFix, ...] = ()
    vulnerability_class: str = ""
    editable: tuple[str, ...] = field(default=())

    def overlay(self, files: Mapping[str, str]) -> dict[str, str]:
        """The editable files as a learner would submit them with ``files`` laid over the
        starter (an overlay may also hold read-only files: those are not the learner's)."""
        paths = set(self.editable) if self.editable else set(self.starter) | set(files)
        return {p: files.get(p, self.starter.get(p, "")) for p in sorted(paths)}


def _text_files(folder: Path) -> dict[str, str]:
    """UTF-8 text files under ``folder`` by relative POSIX path (binary files are skipped)."""
    out: dict[str, str] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts:
            try:
                out[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
    return out


def lab_fixes_from_bundle(
    bundle_dir: Path, *, signatures: Mapping[str, Iterable[str]] | None = None
) -> LabFixes:
    """Read a bundle folder (a version's, or one under content/labs) for recognition.

    ``signatures`` are the validation report's ``bad_fix_signatures`` (the hidden tests each bad
    fix fails); a bad fix without one is compared by its code only.
    """
    manifest = tomllib.loads((bundle_dir / "lab.toml").read_text(encoding="utf-8"))
    signatures = signatures if isinstance(signatures, Mapping) else {}
    bad_fixes = []
    for entry in manifest.get("bad_fixes", []) or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        name = entry["name"]
        tests = signatures.get(name)
        bad_fixes.append(
            KnownBadFix(
                name=name,
                why=str(entry.get("why", "")),
                files=_text_files(bundle_dir / "bad_fixes" / name),
                signature=frozenset(tests) if isinstance(tests, list | tuple) else None,
            )
        )
    editable = manifest.get("editable", [])
    return LabFixes(
        starter=_text_files(bundle_dir / "app"),
        solution=_text_files(bundle_dir / "solution"),
        bad_fixes=tuple(bad_fixes),
        vulnerability_class=str(manifest.get("vulnerability_class", "")),
        editable=tuple(p for p in editable if isinstance(p, str)),
    )


@dataclass(frozen=True)
class Match:
    source: MatchSource
    key: str
    title: str
    message: str
    score: float = 1.0

    @property
    def stored(self) -> str:
        """The value of ``Submission.bad_fix`` (80 characters at most)."""
        if self.source == MatchSource.LAB:
            return self.key[:80]
        return f"{GENERIC_PREFIX}{self.key}"[:80]


def _similarity(a: Change, b: Change) -> float:
    diff = jaccard(a.tokens, b.tokens)
    tree = jaccard(a.tree_delta, b.tree_delta) if (a.tree_delta or b.tree_delta) else diff
    return 0.7 * diff + 0.3 * tree


def _lab_match(
    lab: LabFixes, change: Change | None, solution: Change, failed: frozenset[str]
) -> Match | None:
    best: tuple[float, KnownBadFix] | None = None
    to_solution = _similarity(change, solution) if change is not None else 0.0
    for bad in lab.bad_fixes:
        known = bad.signature is not None and bool(failed)
        signature = jaccard(failed, bad.signature) if known and bad.signature is not None else 0.0
        if change is None or change.empty:
            # No code to compare (an older caller): the failing checks must match exactly.
            score = 1.0 if known and failed == bad.signature else 0.0
        else:
            theirs = Change.between(lab.starter, lab.overlay(bad.files))
            code = _similarity(change, theirs)
            if code <= to_solution or code < LAB_CODE_THRESHOLD:
                continue  # closer to the reference fix, or too unlike this wrong one
            score = 0.5 * signature + 0.5 * code if known else code
            if known and signature == 0.0:
                continue  # similar code, but it fails for other reasons
        if score >= LAB_THRESHOLD and (best is None or score > best[0]):
            best = (score, bad)
    if best is None:
        return None
    score, bad = best
    return Match(MatchSource.LAB, bad.name, bad.name, bad.why, round(score, 3))


def _generic_match(
    lab: LabFixes, change: Change, solution: Change, kinds: frozenset[str], verdict: str
) -> Match | None:
    if change.empty:
        return None
    for fix in GENERIC_WRONG_FIXES:
        evidence = set(fix.detect(Signals(change, kinds, verdict)))
        evidence -= set(fix.detect(Signals(solution, kinds, verdict)))
        evidence.discard("")
        if evidence:
            return Match(
                MatchSource.GENERIC, fix.key, fix.title, fix.message(lab.vulnerability_class)
            )
    return None


def recognise(
    *,
    lab: LabFixes,
    submission_files: Mapping[str, str] | None,
    failed_checks: Iterable[FailedCheck],
    verdict: str,
) -> Match | None:
    """The wrong fix a failed submission looks like: a lab bad fix, else a generic one, else None.

    ``submission_files`` None compares only the failing checks (exactly, as before diffs).
    """
    if verdict == PASSED:
        return None
    failed_list = list(failed_checks)
    failed = frozenset(check.test for check in failed_list)
    kinds = frozenset(check.kind for check in failed_list)
    change = (
        Change.between(lab.starter, lab.overlay(submission_files))
        if submission_files is not None
        else None
    )
    solution = Change.between(lab.starter, lab.overlay(lab.solution))
    match = _lab_match(lab, change, solution, failed)
    if match is None and change is not None:
        match = _generic_match(lab, change, solution, kinds, verdict)
    return match


@dataclass(frozen=True)
class WrongFixNote:
    """What the verdict page says about a recognised wrong fix."""

    source: MatchSource
    title: str
    message: str

    @property
    def is_generic(self) -> bool:
        return self.source == MatchSource.GENERIC


def describe(
    stored: str, *, bad_fixes: Iterable[Mapping[str, object]], vulnerability_class: str
) -> WrongFixNote | None:
    """The words for a stored match: a lab bad fix's ``why`` or a generic detector's message.

    Plain names (stored before generic matches existed) and ``lab:<name>`` are lab bad fixes.
    """
    if not stored:
        return None
    if stored.startswith(GENERIC_PREFIX):
        fix = BY_KEY.get(stored.removeprefix(GENERIC_PREFIX))
        if fix is None:
            return None
        return WrongFixNote(MatchSource.GENERIC, fix.title, fix.message(vulnerability_class))
    name = stored.removeprefix(LAB_PREFIX)
    for bad in bad_fixes:
        if bad.get("name") == name:
            why = str(bad.get("why", ""))
            return WrongFixNote(MatchSource.LAB, name, why) if why else None
    return None
