"""What the compare pages read: one vulnerability class in Flask, FastAPI and Django side by side.

A selector module of its own (the catalogue's selectors live in :mod:`labs.selectors`): the pages
show, per framework, the lab's vulnerable code, what the framework does by default, and, once the
learner has solved the lab or been shown its solution, the fixed code. Excerpts are cut from the
published version's stored files by its ``[compare]`` table (docs/LAB_FORMAT.md). A version never
changes, so each version's excerpts are highlighted once and kept in the cache under its id and
content hash; a request that finds them there does not load the version's files at all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.cache import cache

from labs.models import Lab, LabSession, LabVersion, VulnerabilityClass
from labs.selectors import LabProgress
from portal.lib.frameworks import Framework
from portal.lib.highlighting import CodeLine, highlighted_lines
from portal.lib.markdown import render_markdown
from portal.models import User

#: ``app.py:21-34`` (a line range) or ``app.py:21`` (one line); paths are relative to app/.
EXCERPT = re.compile(r"^(?P<path>[^:\s]+):(?P<first>\d+)(?:-(?P<last>\d+))?$")
MAX_EXCERPT_LINES = 80
CACHE_VERSION = 1  # bump when the cached shape changes
CACHE_SECONDS = 60 * 60 * 24 * 30

_LANGUAGES = {
    ".py": "python",
    ".html": "html+django",
    ".jinja": "html+jinja",
    ".j2": "html+jinja",
    ".sql": "sql",
    ".toml": "toml",
    ".js": "javascript",
    ".json": "json",
}


@dataclass(frozen=True)
class Excerpt:
    """Lines ``first``-``last`` of one file, highlighted, numbered as in the file."""

    path: str
    first: int
    last: int
    lines: list[CodeLine]


@dataclass(frozen=True)
class VersionCompare:
    """A version's ``[compare]`` table made ready to show; ``problems`` says what was skipped."""

    vulnerable: list[Excerpt] = field(default_factory=list)
    fixed: list[Excerpt] = field(default_factory=list)
    defaults_html: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CompareColumn:
    """One framework's column. ``fixed`` is empty unless the viewer may see it."""

    framework: str
    framework_label: str
    lab: Lab
    progress: LabProgress
    vulnerable: list[Excerpt]
    defaults_html: str
    fixed_unlocked: bool
    fixed: list[Excerpt]
    problems: list[str]
    others: list[Lab]  # more labs of this class in this framework


@dataclass(frozen=True)
class ComparePage:
    vulnerability_class: str
    label: str
    columns: list[CompareColumn]
    missing: list[str]  # labels of frameworks without a lab of this class yet


@dataclass(frozen=True)
class CompareClass:
    value: str
    label: str
    frameworks: list[str]  # labels, in the site's framework order
    labs: int


def _language(path: str) -> str:
    return _LANGUAGES.get(PurePosixPath(path).suffix.lower(), "text")


def _excerpts(specs: Any, files: dict[str, str], what: str) -> tuple[list[Excerpt], list[str]]:
    if not isinstance(specs, list):
        return [], [f"[compare].{what} is not a list of excerpts; it was skipped."]
    excerpts: list[Excerpt] = []
    problems: list[str] = []
    for spec in specs:
        match = EXCERPT.match(spec) if isinstance(spec, str) else None
        if match is None:
            problems.append(f"{what} excerpt {spec!r} is not file:first-last; it was skipped.")
            continue
        path = match["path"]
        first = int(match["first"])
        last = int(match["last"] or first)
        text = files.get(path)
        if text is None:
            problems.append(f"{what} excerpt {spec}: there is no file {path}; it was skipped.")
            continue
        lines = text.splitlines()
        if not 1 <= first <= last <= len(lines) or last - first >= MAX_EXCERPT_LINES:
            problems.append(
                f"{what} excerpt {spec}: the file has {len(lines)} lines (at most "
                f"{MAX_EXCERPT_LINES} an excerpt); it was skipped."
            )
            continue
        # Highlight the whole file and cut the range out: a string or block opened above the
        # excerpt still gets the right colours.
        highlighted = highlighted_lines(text, _language(path))
        offset = len(text) - len(text.lstrip("\n"))  # highlighted_lines strips leading newlines
        start = text[:offset].count("\n")
        picked = [
            CodeLine(line.number + start, line.html)
            for line in highlighted
            if first <= line.number + start <= last
        ]
        excerpts.append(Excerpt(path=path, first=first, last=last, lines=picked))
    return excerpts, problems


def version_compare_build(version: LabVersion) -> VersionCompare:
    """Cut and highlight a version's ``[compare]`` excerpts; never raises on bad data."""
    manifest = version.manifest if isinstance(version.manifest, dict) else {}
    table = manifest.get("compare")
    if table is None:
        return VersionCompare(problems=["This lab has no [compare] table yet."])
    if not isinstance(table, dict):
        return VersionCompare(problems=["[compare] is not a table; it was skipped."])
    starter = version.starter_files if isinstance(version.starter_files, dict) else {}
    solution = version.solution_files if isinstance(version.solution_files, dict) else {}
    vulnerable, problems = _excerpts(table.get("vulnerable", []), starter, "vulnerable")
    fixed, fixed_problems = _excerpts(table.get("fixed", []), {**starter, **solution}, "fixed")
    defaults = table.get("defaults", "")
    if not isinstance(defaults, str):
        problems.append("[compare].defaults is not text; it was skipped.")
        defaults = ""
    return VersionCompare(
        vulnerable=vulnerable,
        fixed=fixed,
        defaults_html=render_markdown(defaults) if defaults.strip() else "",
        problems=problems + fixed_problems,
    )


def _cache_key(version_id: int, content_hash: str) -> str:
    return f"labs:compare:{CACHE_VERSION}:{version_id}:{content_hash}"


def versions_compare(versions: list[LabVersion]) -> dict[int, VersionCompare]:
    """Each version's compare data by id: from the cache, else built from its files (one query
    for all the versions the cache missed). ``versions`` may have their files deferred."""
    keys = {v.pk: _cache_key(v.pk, v.content_hash) for v in versions}
    found = cache.get_many(list(keys.values()))
    out = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in out]
    if missing:
        built = {}
        for version in LabVersion.objects.filter(pk__in=missing).only(
            "manifest", "starter_files", "solution_files", "content_hash"
        ):
            out[version.pk] = built[keys[version.pk]] = version_compare_build(version)
        cache.set_many(built, CACHE_SECONDS)
    return out


def _published_of_class(vulnerability_class: str) -> list[Lab]:
    return list(
        Lab.objects.published()
        .filter(vulnerability_class=vulnerability_class)
        .in_difficulty_order()
        .select_related("published_version")
        .defer(
            "published_version__archive",
            "published_version__starter_files",
            "published_version__solution_files",
            "published_version__validation_report",
            "published_version__brief_html",
            "published_version__explanation_html",
        )
    )


def compare_page(*, vulnerability_class: str, user: User) -> ComparePage | None:
    """The class's labs by framework, or None when no lab of it is published (three queries at
    most, whatever the number of labs). Fixed code only for labs the viewer has unlocked."""
    if vulnerability_class not in VulnerabilityClass.values:
        return None
    labs = _published_of_class(vulnerability_class)
    if not labs:
        return None
    by_framework: dict[str, list[Lab]] = defaultdict(list)
    for lab in labs:
        by_framework[lab.framework].append(lab)
    shown = [group[0] for group in by_framework.values()]
    sessions: dict[int, LabSession] = {}
    if user.is_authenticated:
        sessions = {
            s.lab_id: s
            for s in LabSession.objects.filter(user=user, lab_id__in=[lab.pk for lab in shown])
        }
    data = versions_compare([lab.published_version for lab in shown])
    columns = []
    for value, label in Framework.choices:
        if value not in by_framework:
            continue
        lab, *others = by_framework[value]
        session = sessions.get(lab.pk)
        unlocked = session is not None and session.explanation_unlocked
        compare = data.get(lab.published_version_id, VersionCompare())
        columns.append(
            CompareColumn(
                framework=value,
                framework_label=label,
                lab=lab,
                progress=LabProgress.of(session),
                vulnerable=compare.vulnerable,
                defaults_html=compare.defaults_html,
                fixed_unlocked=unlocked,
                fixed=compare.fixed if unlocked else [],
                problems=compare.problems,
                others=others,
            )
        )
    return ComparePage(
        vulnerability_class=vulnerability_class,
        label=VulnerabilityClass(vulnerability_class).label,
        columns=columns,
        missing=[label for value, label in Framework.choices if value not in by_framework],
    )


def compare_classes() -> list[CompareClass]:
    """Classes whose published labs span two frameworks or more: worth comparing (one query)."""
    frameworks: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    rows = (
        Lab.objects.published()
        .exclude(vulnerability_class="")
        .values_list("vulnerability_class", "framework")
    )
    for vulnerability_class, framework in rows:
        frameworks[vulnerability_class].add(framework)
        counts[vulnerability_class] += 1
    return [
        CompareClass(
            value=value,
            label=label,
            frameworks=[f_label for f, f_label in Framework.choices if f in frameworks[value]],
            labs=counts[value],
        )
        for value, label in sorted(VulnerabilityClass.choices, key=lambda c: c[1])
        if len(frameworks.get(value, ())) >= 2
    ]
