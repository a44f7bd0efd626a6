"""Print the four Lighthouse scores of each report as a table and say which goals are missed.

Called by ``benchmarks/lighthouse.sh`` with one ``PAGE|PRESET|GOAL|RUN1.json,RUN2.json,...``
argument per page and preset. Of the runs Lighthouse completed, the one with the median performance
score stands for the page (Lighthouse's own advice: timings vary between runs, the other three
categories hardly do). Exits 1 when a score is under its page's goal or no run completed, so the
script's exit status says whether the goals are met. For every score under 100 it lists the audits
that cost points, which is what one needs to fix it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
HEADINGS = ("perf", "a11y", "best", "seo")


@dataclass(frozen=True)
class Run:
    page: str
    preset: str
    goal: int
    reports: tuple[Path, ...]


def parse_run(argument: str) -> Run:
    try:
        page, preset, goal, reports = argument.split("|", 3)
        return Run(page, preset, int(goal), tuple(Path(r) for r in reports.split(",") if r))
    except ValueError:
        message = f"scores.py: expected PAGE|PRESET|GOAL|REPORTS, got {argument!r}"
        raise SystemExit(message) from None


def median_report(paths: tuple[Path, ...]) -> tuple[dict | None, list[str]]:
    """The completed run with the median performance score, and why the other runs failed."""
    completed, failures = [], []
    for path in paths:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            failures.append(f"{path.name}: no report ({exc.__class__.__name__})")
            continue
        if report.get("runtimeError") or load_scores(report)["performance"] is None:
            message = (report.get("runtimeError") or {}).get("message", "performance not scored")
            failures.append(f"{path.name}: {message}")
            continue
        completed.append(report)
    if not completed:
        return None, failures
    completed.sort(key=lambda report: load_scores(report)["performance"])
    return completed[(len(completed) - 1) // 2], failures


def load_scores(report: dict) -> dict[str, int | None]:
    """Scores as whole percentages; None when Lighthouse could not score a category."""
    scores: dict[str, int | None] = {}
    for name in CATEGORIES:
        score = report.get("categories", {}).get(name, {}).get("score")
        scores[name] = None if score is None else round(score * 100)
    return scores


def costly_audits(report: dict, category: str) -> list[str]:
    """The weighted audits of ``category`` that did not pass, heaviest first."""
    audits = report.get("audits", {})
    found = []
    for ref in report.get("categories", {}).get(category, {}).get("auditRefs", []):
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            value = audit.get("displayValue", "")
            detail = f"{score:.2f}, {value}" if value else f"{score:.2f}"
            found.append((ref["weight"], f"{ref['id']} ({detail})"))
    return [text for _, text in sorted(found, key=lambda item: -item[0])]


def main(arguments: list[str]) -> int:
    runs = [parse_run(argument) for argument in arguments]
    missed = 0
    notes: list[str] = []
    print(f"{'page':<22} {'preset':<8} " + " ".join(f"{h:>5}" for h in HEADINGS) + "   goal")
    for run in runs:
        report, failures = median_report(run.reports)
        notes.extend(f"  {run.page} ({run.preset}) failed run {failure}" for failure in failures)
        if report is None:
            print(f"{run.page:<22} {run.preset:<8} no run completed")
            missed += 1
            continue
        scores = load_scores(report)
        cells = " ".join(f"{'-' if s is None else s:>5}" for s in scores.values())
        below = [name for name, s in scores.items() if s is None or s < run.goal]
        verdict = "ok" if not below else "MISSED"
        print(f"{run.page:<22} {run.preset:<8} {cells}   >={run.goal} {verdict}")
        missed += bool(below)
        for name, score in scores.items():
            if score is not None and score < 100:
                audits = ", ".join(costly_audits(report, name)[:6]) or "no single audit"
                notes.append(f"  {run.page} ({run.preset}) {name} {score}: {audits}")
    if notes:
        print("\nWhat cost points:")
        print("\n".join(notes))
    print(f"\n{len(runs) - missed} of {len(runs)} pages (per preset) meet their goal.")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
