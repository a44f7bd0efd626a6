"""Quiz files: ``content/quizzes/<slug>.toml``, the quiz's fields then ``[[questions]]`` tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from courses.content_files.articles import ArticleFile
from courses.content_files.report import ContentError, LoadReport
from courses.content_files.sync import sync_row
from courses.content_files.validation import article_anchors, owasp_problem, parse_toml
from courses.content_files.writer import toml_assign
from courses.models import (
    Choice,
    FeedbackMode,
    Question,
    QuestionKind,
    Quiz,
    Scoring,
    Status,
)

QUIZ_KEYS = (
    "slug", "title", "description", "frameworks", "cwe", "owasp", "pass_mark",
    "time_limit_minutes", "max_attempts", "shuffle_questions", "shuffle_choices", "feedback",
    "status",
)  # fmt: skip
#: Question fields in the order a quiz file lists them (those a kind does not use are left out).
QUESTION_KEYS = (
    "kind", "prompt", "explanation", "article", "owasp", "scoring", "answer", "true_explanation",
    "false_explanation", "language", "code", "answer_lines",
)  # fmt: skip
CHOICE_KEYS = ("text", "correct", "explanation")


def question_lines(lines: list[str]) -> list[int]:
    """1-based line number of each ``[[questions]]`` table, for error messages."""
    return [n for n, line in enumerate(lines, start=1) if line.strip() == "[[questions]]"]


def check_quiz(path: Path, data: dict[str, Any], anchors: dict[str, set[str]]) -> list[str]:
    """Every problem of one quiz file, each as ``path:line: message``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = question_lines(lines)
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
    owasp = owasp_problem(data.get("owasp", []))
    if owasp:
        problems.append(f"{top}: {owasp}")
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
        owasp = owasp_problem(q.get("owasp", []))
        if owasp:
            problems.append(f"{where}: {label}: {owasp}")
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


def quiz_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The file's fields in the canonical form of ``Quiz.content_fields``."""
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
            "owasp": list(q.get("owasp", [])),
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


def apply_quiz(quiz: Quiz, fields: dict[str, Any]) -> None:
    """Update the quiz in place, question by position, so learners' past answers survive edits."""
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
        question.owasp = data["owasp"]
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
        problems.extend(check_quiz(path, data, anchors))
        parsed.append(data)
    if problems:
        raise ContentError(problems)
    for data in parsed:
        fields = quiz_fields(data)
        sync_row(Quiz, fields["slug"], fields, force, report, apply_quiz)


def quiz_text(quiz: Quiz) -> str:
    """The quiz as its file: the quiz's fields, then one ``[[questions]]`` table each."""
    fields = quiz.content_fields()
    out = [toml_assign(key, fields[key]) for key in QUIZ_KEYS]
    for q in fields["questions"]:
        out += ["", "[[questions]]"]
        out += [toml_assign(key, q[key]) for key in QUESTION_KEYS if q.get(key) is not None]
        for line, note in q.get("line_notes", {}).items():
            out += [
                "  [[questions.line_notes]]",
                toml_assign("line", int(line), indent="  "),
                toml_assign("note", note, indent="  "),
            ]
        for choice in q.get("choices", []):
            out.append("  [[questions.choices]]")
            out += [toml_assign(key, choice[key], indent="  ") for key in CHOICE_KEYS]
    return "\n".join(out) + "\n"
