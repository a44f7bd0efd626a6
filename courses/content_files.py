"""Content as code: articles (`content/articles/<slug>.md`) and paths (`content/paths/*.toml`).

``load`` validates every file first and stops with ``file:line`` errors before writing anything;
it then creates, updates or leaves rows unchanged, and never overwrites a row edited in the admin
since the last load or export (a conflict, unless forced). ``export`` writes rows back to files in
the same canonical form, so that export followed by load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses.models import (
    Article,
    LearningPath,
    PathStep,
    Quiz,
    Status,
    StepKind,
    Topic,
    fingerprint,
)
from portal.lib.markdown import INTERNAL_LINK, internal_links

FRONT = "+++"
ARTICLE_KEYS = ("title", "slug", "summary", "frameworks", "cwe", "owasp", "status", "published")


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


@dataclass
class ArticleFile:
    path: Path
    fields: dict[str, Any]
    body_line: int  # line number where the Markdown body starts


def _toml_line(error: tomllib.TOMLDecodeError) -> int:
    return getattr(error, "lineno", 0) or 1


def parse_article(path: Path) -> ArticleFile:
    """Split front matter and body; raise ContentError naming the file and line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != FRONT:
        raise ContentError([f"{path}:1: an article starts with a '+++' front-matter line"])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT)
    except StopIteration:
        raise ContentError([f"{path}:1: the front matter is not closed with '+++'"]) from None
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([f"{path}:{_toml_line(exc) + 1}: front matter: {exc}"]) from None
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest).strip() + "\n"
    return ArticleFile(path, {**meta, "body": body}, body_line=end + 2 + blank)


def _check_article(file: ArticleFile, known: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    meta = file.fields
    where = f"{file.path}:1"
    for key in ("title", "slug", "summary"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(f"{where}: '{key}' is required and must be text")
    if meta.get("slug") and meta["slug"] != file.path.stem:
        problems.append(
            f"{where}: slug '{meta['slug']}' must equal the file name '{file.path.stem}'"
        )
    for key in ("frameworks", "cwe", "owasp"):
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where}: '{key}' must be a list of strings")
    bad = [f for f in meta.get("frameworks", []) if f not in Topic.values]
    if bad:
        problems.append(f"{where}: unknown frameworks {bad} (use {', '.join(Topic.values)})")
    if meta.get("status", "draft") not in Status.values:
        problems.append(f"{where}: status must be 'published' or 'draft'")
    published = meta.get("published")
    if published is not None and not isinstance(published, dt.date):
        problems.append(f"{where}: 'published' must be a TOML date like 2026-11-20")
    for number, target in internal_links(meta["body"]):
        problem = _check_link(target, known)
        if problem:
            problems.append(f"{file.path}:{file.body_line + number - 1}: {problem}")
    return problems


def _check_link(target: str, known: dict[str, set[str]]) -> str | None:
    match = INTERNAL_LINK.match(target)
    if not match:
        return f"malformed internal link '{target}'"
    kind, slug, _ = match.groups()
    if slug not in known[kind]:
        return f"broken link '{target}': no {kind} with slug '{slug}'"
    return None


def known_slugs(article_files: list[ArticleFile], content: Path) -> dict[str, set[str]]:
    """Targets internal links may point at: in the database or in the content folders."""
    from labs.models import Lab

    lab_dirs = {Path(settings.CONTENT_DIR) / "labs", content / "labs"}
    return {
        "article": set(Article.objects.values_list("slug", flat=True))
        | {f.path.stem for f in article_files},
        "lab": set(Lab.objects.values_list("slug", flat=True))
        | {p.name for d in lab_dirs for p in d.glob("*") if (p / "lab.toml").is_file()},
        "quiz": set(Quiz.objects.values_list("slug", flat=True))
        | {p.stem for p in (content / "quizzes").glob("*.toml")},
    }


def _article_fields(file: ArticleFile) -> dict[str, Any]:
    meta = file.fields
    published = meta.get("published")
    return {
        "slug": meta["slug"],
        "title": meta["title"].strip(),
        "summary": meta["summary"].strip(),
        "frameworks": list(meta.get("frameworks", [])),
        "cwe": list(meta.get("cwe", [])),
        "owasp": list(meta.get("owasp", [])),
        "status": meta.get("status", Status.DRAFT),
        "published": published.isoformat() if isinstance(published, dt.date) else "",
        "body": meta["body"],
    }


def _apply_article(article: Article, fields: dict[str, Any]) -> None:
    for key in ("slug", "title", "summary", "frameworks", "cwe", "owasp", "status", "body"):
        setattr(article, key, fields[key])
    if fields["published"]:
        day = dt.date.fromisoformat(fields["published"])
        current = article.published_at
        if current is None or timezone.localdate(current) != day:
            article.published_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    elif fields["status"] == Status.DRAFT:
        article.published_at = None


def _sync(
    model: type, slug: str, fields: dict[str, Any], force: bool, report: LoadReport, apply
) -> Any:
    """Create, update or leave one row; refuse to overwrite edits made since the last sync."""
    label = f"{model.__name__.lower()} {slug}"
    row = model.objects.filter(slug=slug).first()
    if row is None:
        row = model(slug=slug)
        apply(row, fields)
        row.save()
        report.created.append(label)
    else:
        current = row.content_hash()
        if fingerprint(fields) == current:
            report.unchanged.append(label)
            if row.synced_hash != current:
                type(row).objects.filter(pk=row.pk).update(synced_hash=current)
            return row
        if row.synced_hash and row.synced_hash != current and not force:
            report.conflicts.append(label)
            return None
        apply(row, fields)
        row.save()
        report.updated.append(label)
    type(row).objects.filter(pk=row.pk).update(synced_hash=row.content_hash())
    return row


def parse_toml(path: Path) -> dict[str, Any]:
    """A path or quiz file as data; a syntax error names the file and line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError([f"{path}:{_toml_line(exc)}: {exc}"]) from None
    return data


def _check_path(path: Path, data: dict[str, Any], known: dict[str, set[str]]) -> list[str]:
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
        keys = (
            [k for k in ("article", "lab", "quiz") if k in step] if isinstance(step, dict) else []
        )
        target = step.get(keys[0]) if len(keys) == 1 else None
        line = _line_of(lines, str(target)) if target else 1
        if len(keys) != 1 or not isinstance(target, str):
            problems.append(
                f"{path}:{line}: step {index + 1} needs exactly one of article, lab, quiz"
            )
        elif target not in known[keys[0]]:
            problems.append(f"{path}:{line}: step {index + 1}: no {keys[0]} with slug '{target}'")
    return problems


def _line_of(lines: list[str], needle: str) -> int:
    for number, line in enumerate(lines, start=1):
        if f'"{needle}"' in line:
            return number
    return 1


def _path_fields(data: dict[str, Any]) -> dict[str, Any]:
    steps = []
    for step in data["steps"]:
        kind = next(k for k in ("article", "lab", "quiz") if k in step)
        steps.append({kind: step[kind]})
    return {
        "slug": data["slug"],
        "title": data["title"].strip(),
        "summary": data["summary"].strip(),
        "position": int(data.get("position", 0)),
        "status": data.get("status", Status.DRAFT),
        "steps": steps,
    }


def _apply_path(path: LearningPath, fields: dict[str, Any]) -> None:
    from labs.models import Lab

    for key in ("slug", "title", "summary", "position", "status"):
        setattr(path, key, fields[key])
    path.save()
    path.steps.all().delete()
    for position, ref in enumerate(fields["steps"], start=1):
        kind, slug = next(iter(ref.items()))
        step = PathStep(path=path, position=position, kind=kind)
        if kind == StepKind.ARTICLE:
            step.article = Article.objects.get(slug=slug)
        elif kind == StepKind.LAB:
            step.lab = Lab.objects.get(slug=slug)
        else:
            step.quiz = Quiz.objects.get(slug=slug)
        step.save()


def load(*, content_dir: Path | None = None, force: bool = False) -> LoadReport:
    """Validate every article and path file, then sync them into the database."""
    content = Path(content_dir or settings.CONTENT_DIR)
    article_files = []
    problems: list[str] = []
    for path in sorted((content / "articles").glob("*.md")):
        try:
            article_files.append(parse_article(path))
        except ContentError as exc:
            problems.extend(exc.problems)
    known = known_slugs(article_files, content)
    for file in article_files:
        problems.extend(_check_article(file, known))
    path_files: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted((content / "paths").glob("*.toml")):
        try:
            data = parse_toml(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check_path(path, data, known))
        path_files.append((path, data))
    lab_refs = {s["lab"] for _, d in path_files for s in d.get("steps", []) if "lab" in s}
    from labs.models import Lab

    missing_labs = lab_refs - set(Lab.objects.values_list("slug", flat=True))
    for slug in sorted(missing_labs):
        problems.append(
            f"{content / 'labs' / slug}: the lab is not loaded (its bundle must load first)"
        )
    if problems:
        raise ContentError(problems)
    report = LoadReport()
    with transaction.atomic():
        for file in article_files:
            fields = _article_fields(file)
            _sync(Article, fields["slug"], fields, force, report, _apply_article)
        load_quizzes(content, article_files, force, report)
        for _, data in path_files:
            fields = _path_fields(data)
            _sync(LearningPath, fields["slug"], fields, force, report, _apply_path)
    return report


def _toml_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def article_text(article: Article) -> str:
    fields = article.content_fields()
    lines = [FRONT]
    for key in ARTICLE_KEYS:
        value = fields[key]
        if key == "published":
            if value:
                lines.append(f"published = {value}")
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    lines.append(FRONT)
    return "\n".join(lines) + "\n\n" + fields["body"]


def path_text(path: LearningPath) -> str:
    fields = path.content_fields()
    lines = [
        f"{key} = {_toml_value(fields[key])}"
        for key in ("slug", "title", "summary", "position", "status")
    ]
    for ref in fields["steps"]:
        kind, slug = next(iter(ref.items()))
        lines.append("")
        lines.append("[[steps]]")
        lines.append(f"{kind} = {_toml_value(slug)}")
    return "\n".join(lines) + "\n"


def export(*, content_dir: Path | None = None) -> list[Path]:
    """Write every article, quiz and path to its file; record the sync so a load sees no change."""
    content = Path(content_dir or settings.CONTENT_DIR)
    written: list[Path] = []
    (content / "articles").mkdir(parents=True, exist_ok=True)
    (content / "paths").mkdir(parents=True, exist_ok=True)
    for article in Article.objects.all():
        target = content / "articles" / f"{article.slug}.md"
        target.write_text(article_text(article), encoding="utf-8")
        Article.objects.filter(pk=article.pk).update(synced_hash=article.content_hash())
        written.append(target)
    (content / "quizzes").mkdir(parents=True, exist_ok=True)
    for quiz in Quiz.objects.prefetch_related("questions__choices"):
        target = content / "quizzes" / f"{quiz.slug}.toml"
        target.write_text(quiz_text(quiz), encoding="utf-8")
        Quiz.objects.filter(pk=quiz.pk).update(synced_hash=quiz.content_hash())
        written.append(target)
    for path in LearningPath.objects.prefetch_related(
        "steps__article", "steps__lab", "steps__quiz"
    ):
        target = content / "paths" / f"{path.slug}.toml"
        target.write_text(path_text(path), encoding="utf-8")
        LearningPath.objects.filter(pk=path.pk).update(synced_hash=path.content_hash())
        written.append(target)
    return written


# --- Quizzes ----------------------------------------------------------------------------------

QUIZ_KEYS = (
    "slug", "title", "description", "frameworks", "cwe", "owasp", "pass_mark",
    "time_limit_minutes", "max_attempts", "shuffle_questions", "shuffle_choices", "feedback",
    "status",
)  # fmt: skip


def _question_lines(lines: list[str]) -> list[int]:
    """1-based line number of each ``[[questions]]`` table, for error messages."""
    return [n for n, line in enumerate(lines, start=1) if line.strip() == "[[questions]]"]


def article_anchors(article_files: list[ArticleFile]) -> dict[str, set[str]]:
    """Heading ids of every article being loaded (and of those already stored)."""
    import re

    from courses.rendering import render_article

    ids = re.compile(r'<h[1-6] id="([^"]+)"')
    anchors = {a.slug: set(ids.findall(a.body_html)) for a in Article.objects.all()}
    for file in article_files:
        anchors[file.path.stem] = set(ids.findall(render_article(file.fields["body"]).html))
    return anchors


def _check_quiz(path: Path, data: dict[str, Any], anchors: dict[str, set[str]]) -> list[str]:
    from courses.models import FeedbackMode, QuestionKind, Scoring

    lines = path.read_text(encoding="utf-8").splitlines()
    starts = _question_lines(lines)
    problems: list[str] = []
    top = f"{path}:1"
    for key in ("slug", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{top}: '{key}' is required and must be text")
    if data.get("slug") and data["slug"] != path.stem:
        problems.append(f"{top}: slug must equal the file name '{path.stem}'")
    if data.get("feedback", "immediate") not in FeedbackMode.values:
        problems.append(f"{top}: feedback must be 'immediate' or 'end'")
    if data.get("status", "draft") not in Status.values:
        problems.append(f"{top}: status must be 'published' or 'draft'")
    for key, low, high in (
        ("pass_mark", 0, 100),
        ("time_limit_minutes", 0, 600),
        ("max_attempts", 0, 100),
    ):
        value = data.get(key, 0)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(f"{top}: '{key}' must be a whole number from {low} to {high}")
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(f"{top}: a quiz needs at least one [[questions]] table")
        return problems
    for index, q in enumerate(questions):
        where = f"{path}:{starts[index] if index < len(starts) else 1}"
        label = f"question {index + 1}"
        kind = q.get("kind")
        if kind not in QuestionKind.values:
            problems.append(
                f"{where}: {label}: kind must be one of {', '.join(QuestionKind.values)}"
            )
            continue
        for key in ("prompt", "explanation"):
            if not isinstance(q.get(key), str) or not q[key].strip():
                problems.append(f"{where}: {label}: '{key}' is required")
        ref = q.get("article", "")
        if ref:
            slug, _, anchor = ref.partition("#")
            if slug not in anchors:
                problems.append(f"{where}: {label}: no article with slug '{slug}'")
            elif anchor and anchor not in anchors[slug]:
                problems.append(f"{where}: {label}: article '{slug}' has no section '#{anchor}'")
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = q.get("choices") or []
            if len(choices) < 2:
                problems.append(f"{where}: {label}: needs at least two choices")
            correct = sum(bool(c.get("correct")) for c in choices)
            if kind == QuestionKind.SINGLE and correct != 1:
                problems.append(
                    f"{where}: {label}: a single-choice question needs exactly one correct "
                    f"choice (has {correct})"
                )
            if kind == QuestionKind.MULTIPLE and correct < 1:
                problems.append(
                    f"{where}: {label}: a multiple-choice question needs a correct choice"
                )
            if (
                kind == QuestionKind.MULTIPLE
                and q.get("scoring", "all_or_nothing") not in Scoring.values
            ):
                problems.append(f"{where}: {label}: scoring must be all_or_nothing or partial")
            for number, choice in enumerate(choices, start=1):
                if not str(choice.get("text", "")).strip():
                    problems.append(f"{where}: {label}, choice {number}: text is required")
                if not str(choice.get("explanation", "")).strip():
                    problems.append(
                        f"{where}: {label}, choice {number}: every choice needs an explanation"
                    )
        elif kind == QuestionKind.TRUE_FALSE:
            if not isinstance(q.get("answer"), bool):
                problems.append(f"{where}: {label}: 'answer' must be true or false")
            for key in ("true_explanation", "false_explanation"):
                if not str(q.get(key, "")).strip():
                    problems.append(f"{where}: {label}: '{key}' is required")
        else:
            code_lines = str(q.get("code", "")).strip("\n").splitlines()
            answer = q.get("answer_lines")
            if not code_lines:
                problems.append(f"{where}: {label}: 'code' is required")
            if (
                not isinstance(answer, list)
                or not answer
                or not all(isinstance(n, int) and 1 <= n <= len(code_lines) for n in answer)
            ):
                problems.append(
                    f"{where}: {label}: answer_lines must list lines 1..{len(code_lines)}"
                )
            for note in q.get("line_notes", []):
                if not isinstance(note.get("line"), int) or not 1 <= note["line"] <= len(
                    code_lines
                ):
                    problems.append(f"{where}: {label}: a line note names a line outside the code")
    return problems


def _quiz_fields(data: dict[str, Any]) -> dict[str, Any]:
    from courses.models import QuestionKind

    fields: dict[str, Any] = {
        "slug": data["slug"],
        "title": data["title"].strip(),
        "description": data.get("description", "").strip(),
        "frameworks": list(data.get("frameworks", [])),
        "cwe": list(data.get("cwe", [])),
        "owasp": list(data.get("owasp", [])),
        "pass_mark": int(data.get("pass_mark", 70)),
        "time_limit_minutes": int(data.get("time_limit_minutes", 0)),
        "max_attempts": int(data.get("max_attempts", 0)),
        "shuffle_questions": bool(data.get("shuffle_questions", True)),
        "shuffle_choices": bool(data.get("shuffle_choices", True)),
        "feedback": data.get("feedback", "immediate"),
        "status": data.get("status", Status.DRAFT),
        "questions": [],
    }
    for q in data["questions"]:
        kind = q["kind"]
        question: dict[str, Any] = {
            "kind": kind,
            "prompt": q["prompt"].strip(),
            "explanation": q["explanation"].strip(),
            "article": q.get("article", ""),
        }
        if kind == QuestionKind.MULTIPLE:
            question["scoring"] = q.get("scoring", "all_or_nothing")
        if kind == QuestionKind.TRUE_FALSE:
            question.update(
                answer=q["answer"],
                true_explanation=q["true_explanation"].strip(),
                false_explanation=q["false_explanation"].strip(),
            )
        if kind == QuestionKind.SPOT_LINE:
            notes = {str(n["line"]): n["note"].strip() for n in q.get("line_notes", [])}
            question.update(
                language=q.get("language", "python"),
                code=q["code"].strip("\n") + "\n",
                answer_lines=list(q["answer_lines"]),
                line_notes=dict(sorted(notes.items(), key=lambda i: int(i[0]))),
            )
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            question["choices"] = [
                {
                    "text": str(c["text"]).strip(),
                    "correct": bool(c.get("correct", False)),
                    "explanation": str(c["explanation"]).strip(),
                }
                for c in q["choices"]
            ]
        fields["questions"].append(question)
    return fields


def _apply_quiz(quiz: Quiz, fields: dict[str, Any]) -> None:
    """Update the quiz in place, question by position, so learners' past answers survive edits."""
    from courses.models import Choice, Question

    for key in QUIZ_KEYS:
        setattr(quiz, key, fields[key])
    quiz.save()
    existing = list(quiz.questions.all())
    for position, data in enumerate(fields["questions"], start=1):
        question = existing[position - 1] if position <= len(existing) else Question(quiz=quiz)
        question.position = position
        question.kind = data["kind"]
        question.prompt = data["prompt"]
        question.explanation = data["explanation"]
        question.article = data["article"]
        question.scoring = data.get("scoring", "all_or_nothing")
        question.answer = data.get("answer")
        question.true_explanation = data.get("true_explanation", "")
        question.false_explanation = data.get("false_explanation", "")
        question.language = data.get("language", "python")
        question.code = data.get("code", "")
        question.answer_lines = data.get("answer_lines", [])
        question.line_notes = data.get("line_notes", {})
        question.save()
        choices = list(question.choices.all())
        wanted = data.get("choices", [])
        for number, choice_data in enumerate(wanted, start=1):
            choice = choices[number - 1] if number <= len(choices) else Choice(question=question)
            choice.position = number
            choice.text = choice_data["text"]
            choice.correct = choice_data["correct"]
            choice.explanation = choice_data["explanation"]
            choice.save()
        for extra in choices[len(wanted) :]:
            extra.delete()
    for extra in existing[len(fields["questions"]) :]:
        extra.delete()


def load_quizzes(
    content: Path, article_files: list[ArticleFile], force: bool, report: LoadReport
) -> None:
    """Validate every quiz file (ContentError with file:line), then sync them."""
    problems: list[str] = []
    anchors = article_anchors(article_files)
    parsed = []
    for path in sorted((content / "quizzes").glob("*.toml")):
        try:
            data = parse_toml(path)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(_check_quiz(path, data, anchors))
        parsed.append(data)
    if problems:
        raise ContentError(problems)
    for data in parsed:
        fields = _quiz_fields(data)
        _sync(Quiz, fields["slug"], fields, force, report, _apply_quiz)


def _toml_text(value: str) -> str:
    """A TOML string that reads back exactly: literal multi-line when it spans lines."""
    if "\n" in value and "'''" not in value and not value.endswith("'"):
        return "'''\n" + value + "'''"
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _toml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_scalar(v) for v in value) + "]"
    return _toml_text(str(value))


def quiz_text(quiz: Quiz) -> str:
    fields = quiz.content_fields()
    out = [f"{key} = {_toml_scalar(fields[key])}" for key in QUIZ_KEYS]
    for q in fields["questions"]:
        out += ["", "[[questions]]"]
        question_keys = (
            "kind", "prompt", "explanation", "article", "scoring", "answer", "true_explanation",
            "false_explanation", "language", "code", "answer_lines",
        )  # fmt: skip
        for key in question_keys:
            if key in q and q[key] is not None:
                out.append(f"{key} = {_toml_scalar(q[key])}")
        for line, note in q.get("line_notes", {}).items():
            out += [
                "  [[questions.line_notes]]",
                f"  line = {int(line)}",
                f"  note = {_toml_text(note)}",
            ]
        for choice in q.get("choices", []):
            out += [
                "  [[questions.choices]]",
                f"  text = {_toml_text(choice['text'])}",
                f"  correct = {_toml_scalar(choice['correct'])}",
                f"  explanation = {_toml_text(choice['explanation'])}",
            ]
    return "\n".join(out) + "\n"
