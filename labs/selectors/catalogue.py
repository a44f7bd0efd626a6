"""The lab catalogue: cards with the learner's progress, and the filters it offers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from labs.models import (
    Difficulty,
    Lab,
    LabSession,
    VulnerabilityClass,
)
from portal.lib.frameworks import Framework
from portal.lib.owasp import is_current, owasp_label
from portal.models import User


class LabProgress(models.TextChoices):
    """Where the learner stands on a lab, derived from their session (nothing stored)."""

    NOT_STARTED = "not-started", "Not started"
    STARTED = "started", "In progress"
    EXPLOITED = "exploited", "Exploited"
    SOLVED = "solved", "Solved"
    SOLUTION_SHOWN = "solution-shown", "Solution shown"

    @classmethod
    def of(cls, session: LabSession | None) -> LabProgress:
        """A fix that passed outranks the solution shown, which outranks the exploit step."""
        if session is None:
            return cls.NOT_STARTED
        if session.solved_at is not None:
            return cls.SOLVED
        if session.revealed_at is not None:
            return cls.SOLUTION_SHOWN
        if session.exploit_done_at is not None:
            return cls.EXPLOITED
        return cls.STARTED


@dataclass(frozen=True)
class Chip:
    value: str
    label: str


@dataclass(frozen=True)
class LabCard:
    lab: Lab
    progress: LabProgress
    owasp: list[Chip]  # 2025 categories, with their names
    owasp_older: list[str]  # earlier editions' ids, shown as secondary chips

    @property
    def solved(self) -> bool:
        return self.progress == LabProgress.SOLVED

    @property
    def started(self) -> bool:
        return self.progress != LabProgress.NOT_STARTED


@dataclass(frozen=True)
class CatalogueOptions:
    """The values each catalogue filter offers: only those present among published labs."""

    frameworks: list[tuple[str, str]]
    difficulties: list[tuple[str, str]]
    classes: list[tuple[str, str]]
    cwes: list[tuple[str, str]]
    owasp: list[tuple[str, str]]


def _cwe_key(code: str) -> tuple[int, str]:
    number = code.rpartition("-")[2]
    return (int(number) if number.isdigit() else 0, code)


def lab_catalogue_options() -> CatalogueOptions:
    """Filter values present among published labs, in a stable order (one query)."""
    rows = Lab.objects.published().values_list(
        "framework", "difficulty", "vulnerability_class", "cwe", "owasp"
    )
    frameworks: set[str] = set()
    difficulties: set[str] = set()
    classes: set[str] = set()
    cwes: set[str] = set()
    owasp: set[str] = set()
    for framework, difficulty, vulnerability_class, cwe, owasp_ids in rows:
        frameworks.add(framework)
        difficulties.add(difficulty)
        if vulnerability_class:
            classes.add(vulnerability_class)
        cwes.update(str(c) for c in cwe or [] if isinstance(c, str))
        owasp.update(str(o) for o in owasp_ids or [] if isinstance(o, str) and is_current(o))
    class_labels = dict(VulnerabilityClass.choices)
    return CatalogueOptions(
        frameworks=[(v, label) for v, label in Framework.choices if v in frameworks],
        difficulties=[(v, label) for v, label in Difficulty.choices if v in difficulties],
        classes=sorted(((v, class_labels[v]) for v in classes), key=lambda c: c[1]),
        cwes=[(c, c) for c in sorted(cwes, key=_cwe_key)],
        owasp=[(o, owasp_label(o)) for o in sorted(owasp)],
    )


def lab_catalogue(
    *,
    user: User,
    framework: str = "",
    difficulty: str = "",
    vulnerability_class: str = "",
    cwe: str = "",
    owasp: str = "",
    q: str = "",
) -> list[LabCard]:
    """Published labs, easiest first, filtered, with the viewer's progress: two queries at most.

    CWE and OWASP ids sit in JSON lists, which SQLite cannot search by element, so those two
    filters apply to the rows fetched (a catalogue's worth of labs, never a big table).
    """
    labs = Lab.objects.published().in_difficulty_order()
    if framework:
        labs = labs.filter(framework=framework)
    if difficulty:
        labs = labs.filter(difficulty=difficulty)
    if vulnerability_class:
        labs = labs.filter(vulnerability_class=vulnerability_class)
    if q:
        labs = labs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    rows = [
        lab
        for lab in labs
        if (not cwe or cwe in (lab.cwe or [])) and (not owasp or owasp in (lab.owasp or []))
    ]
    sessions: dict[int, LabSession] = {}
    if user.is_authenticated and rows:
        sessions = {
            s.lab_id: s
            for s in LabSession.objects.filter(user=user, lab__in=[lab.pk for lab in rows])
        }
    return [
        LabCard(
            lab=lab,
            progress=LabProgress.of(sessions.get(lab.pk)),
            owasp=[Chip(o, owasp_label(o)) for o in lab.owasp or [] if is_current(str(o))],
            owasp_older=[str(o) for o in lab.owasp or [] if not is_current(str(o))],
        )
        for lab in rows
    ]


def any_lab_published() -> bool:
    return Lab.objects.published().exists()


def lab_search_documents() -> models.QuerySet[Lab]:
    """Published labs with what site search reads: title, summary, framework, tags and the
    published version's brief (HTML, annotated as ``brief_html``).

    Only those columns are loaded (never a version's archive or files), in one query; callers
    may annotate and filter further, e.g. with a full-text rank on PostgreSQL.
    """
    return (
        Lab.objects.published()
        .annotate(brief_html=models.F("published_version__brief_html"))
        .only("slug", "title", "summary", "framework", "cwe", "owasp")
    )
