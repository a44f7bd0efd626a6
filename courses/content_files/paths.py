"""Learning path files: ``content/paths/<slug>.toml``, the path's fields then ``[[steps]]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from courses.content_files.validation import line_of
from courses.content_files.writer import toml_assign
from courses.models import Article, LearningPath, PathStep, Quiz, Status, StepKind
from labs import selectors as lab_selectors

PATH_KEYS = ("slug", "title", "summary", "position", "status")
STEP_KINDS = ("article", "lab", "quiz")


def check_path(path: Path, data: dict[str, Any], known: dict[str, set[str]]) -> list[str]:
    """Every problem of one path file, each as ``path:line: message``."""
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for key in ("slug", "title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{path}:1: '{key}' is required and must be text")
    if data.get("slug") and data["slug"] != path.stem:
        problems.append(f"{path}:1: slug must equal the file name '{path.stem}'")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append(f"{path}:1: 'steps' must be a non-empty list")
        return problems
    for index, step in enumerate(steps):
        keys = [k for k in STEP_KINDS if k in step] if isinstance(step, dict) else []
        target = step.get(keys[0]) if len(keys) == 1 else None
        line = line_of(lines, str(target)) if target else 1
        if len(keys) != 1 or not isinstance(target, str):
            problems.append(
                f"{path}:{line}: step {index + 1} needs exactly one of article, lab, quiz"
            )
        elif target not in known[keys[0]]:
            problems.append(f"{path}:{line}: step {index + 1}: no {keys[0]} with slug '{target}'")
    return problems


def path_lab_refs(data: dict[str, Any]) -> set[str]:
    """Slugs of the labs a (valid) path file names as steps."""
    return {s["lab"] for s in data.get("steps", []) if "lab" in s}


def path_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The file's fields in the canonical form of ``LearningPath.content_fields``."""
    steps = []
    for step in data["steps"]:
        kind = next(k for k in STEP_KINDS if k in step)
        steps.append({kind: step[kind]})
    return {
        "slug": data["slug"],
        "title": data["title"].strip(),
        "summary": data["summary"].strip(),
        "position": int(data.get("position", 0)),
        "status": data.get("status", Status.DRAFT),
        "steps": steps,
    }


def apply_path(path: LearningPath, fields: dict[str, Any]) -> None:
    """Save the path and replace its steps with the file's, in order."""
    for key in PATH_KEYS:
        setattr(path, key, fields[key])
    path.save()
    path.steps.all().delete()
    for position, ref in enumerate(fields["steps"], start=1):
        kind, slug = next(iter(ref.items()))
        step = PathStep(path=path, position=position, kind=kind)
        if kind == StepKind.ARTICLE:
            step.article = Article.objects.get(slug=slug)
        elif kind == StepKind.LAB:
            step.lab = lab_selectors.lab_by_slug(slug=slug)
        else:
            step.quiz = Quiz.objects.get(slug=slug)
        step.save()


def path_text(path: LearningPath) -> str:
    """The path as its file."""
    fields = path.content_fields()
    lines = [toml_assign(key, fields[key]) for key in PATH_KEYS]
    for ref in fields["steps"]:
        kind, slug = next(iter(ref.items()))
        lines += ["", "[[steps]]", toml_assign(kind, slug)]
    return "\n".join(lines) + "\n"
