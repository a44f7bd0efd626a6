"""Content as code: load validates with file:line errors, is idempotent, refuses to clobber admin
edits, and export followed by load changes nothing."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses import content_files
from courses.models import Article, LearningPath, Question, Quiz
from labs.services import lab_version_store, read_folder
from portal.lib.owasp import is_current

pytestmark = pytest.mark.django_db
CONTENT = Path(settings.CONTENT_DIR)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real articles and paths, with the labs the paths name already stored."""
    shutil.copytree(CONTENT / "articles", tmp_path / "articles")
    shutil.copytree(CONTENT / "paths", tmp_path / "paths")
    shutil.copytree(CONTENT / "quizzes", tmp_path / "quizzes")
    (tmp_path / "labs").mkdir()
    steps = [tomllib.loads(p.read_text())["steps"] for p in (CONTENT / "paths").glob("*.toml")]
    for slug in sorted({step["lab"] for path in steps for step in path if "lab" in step}):
        lab_version_store(bundle=read_folder(CONTENT / "labs" / slug))
        shutil.copytree(CONTENT / "labs" / slug, tmp_path / "labs" / slug)
    return tmp_path


def _file_counts(content: Path) -> dict[str, int]:
    """How many article, path and quiz files the content folder holds (it grows over time)."""
    return {
        "articles": len(list((content / "articles").glob("*.md"))),
        "paths": len(list((content / "paths").glob("*.toml"))),
        "quizzes": len(list((content / "quizzes").glob("*.toml"))),
    }


def test_load_creates_everything_then_a_second_load_changes_nothing(content: Path) -> None:
    files = _file_counts(content)
    assert files["articles"] >= 8 and files["paths"] >= 2 and files["quizzes"] >= 5
    first = content_files.load(content_dir=content)
    assert len(first.created) == sum(files.values()) and not first.updated
    assert Article.objects.count() == files["articles"]
    assert LearningPath.objects.count() == files["paths"]
    assert Quiz.objects.count() == files["quizzes"] and Question.objects.count() >= 40
    assert all(a.body_html and a.toc_html for a in Article.objects.all())
    second = content_files.load(content_dir=content)
    assert second.changes == 0 and len(second.unchanged) == sum(files.values())


def test_a_changed_file_updates_its_article(content: Path) -> None:
    content_files.load(content_dir=content)
    path = content / "articles" / "flask-security.md"
    path.write_text(
        path.read_text().replace('title = "Flask security', 'title = "Flask security, revised')
    )
    report = content_files.load(content_dir=content)
    assert report.updated == ["article flask-security"]
    assert Article.objects.get(slug="flask-security").title.startswith("Flask security, revised")


def test_an_admin_edit_is_not_overwritten_without_force(content: Path) -> None:
    content_files.load(content_dir=content)
    article = Article.objects.get(slug="django-security")
    article.summary = "Edited in the admin."
    article.save()
    path = content / "articles" / "django-security.md"
    path.write_text(path.read_text() + "\nA new closing line.\n")
    report = content_files.load(content_dir=content)
    assert report.conflicts == ["article django-security"]
    assert Article.objects.get(slug="django-security").summary == "Edited in the admin."
    forced = content_files.load(content_dir=content, force=True)
    assert forced.updated == ["article django-security"]
    assert Article.objects.get(slug="django-security").summary != "Edited in the admin."


def test_export_then_load_gives_no_change(content: Path, tmp_path: Path) -> None:
    content_files.load(content_dir=content)
    article = Article.objects.get(slug="flask-in-depth")
    article.summary = "Rewritten in the admin, then exported."
    article.save()
    content_files.export(content_dir=content)
    report = content_files.load(content_dir=content)
    assert report.changes == 0 and not report.conflicts
    text = (content / "articles" / "flask-in-depth.md").read_text()
    assert 'summary = "Rewritten in the admin, then exported."' in text


def test_a_broken_link_is_an_error_naming_file_and_line(content: Path) -> None:
    path = content / "articles" / "flask-in-depth.md"
    lines = path.read_text().splitlines()
    lines.insert(15, "See [nothing](article:no-such-article).")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(content_files.ContentError) as caught:
        content_files.load(content_dir=content)
    assert caught.value.problems == [
        f"{path}:16: broken link 'article:no-such-article': no article with slug 'no-such-article'"
    ]
    assert not Article.objects.exists()  # nothing is written when any file is invalid


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", ":1: an article starts with a '+++'"),
        ('+++\ntitle = "x"\n', ":1: the front matter is not closed"),
        ('+++\ntitle = "x\n+++\nbody\n', ":2: front matter:"),
        (
            '+++\ntitle = "T"\nslug = "other"\nsummary = "S"\n+++\nbody\n',
            "must equal the file name",
        ),
        (
            '+++\ntitle = "T"\nslug = "bad"\nsummary = "S"\nframeworks = ["rails"]\n+++\nb\n',
            "unknown frameworks",
        ),
    ],
)
def test_invalid_article_files_are_reported(content: Path, text: str, message: str) -> None:
    (content / "articles" / "bad.md").write_text(text)
    with pytest.raises(content_files.ContentError) as caught:
        content_files.load(content_dir=content)
    assert any(message in problem and "bad.md" in problem for problem in caught.value.problems)


def test_a_path_step_naming_a_missing_lab_is_an_error(content: Path) -> None:
    path = content / "paths" / "secure-python-web-development.toml"
    path.write_text(path.read_text().replace('lab = "flask-debug-console"', 'lab = "nope"'))
    with pytest.raises(content_files.ContentError) as caught:
        content_files.load(content_dir=content)
    assert any("no lab with slug 'nope'" in p and ".toml:" in p for p in caught.value.problems)


def test_load_content_command_reports_and_fails_on_conflict(content: Path, capsys) -> None:
    call_command("load_content", "--content-dir", str(content), "--no-validate")
    assert f"created: {sum(_file_counts(content).values())}" in capsys.readouterr().out
    Article.objects.filter(slug="flask-security").update(summary="changed directly")
    path = content / "articles" / "flask-security.md"
    path.write_text(path.read_text() + "\nMore.\n")
    with pytest.raises(CommandError, match="conflict"):
        call_command("load_content", "--content-dir", str(content), "--no-validate")


def test_quiz_export_then_load_gives_no_change_and_keeps_attempts(content: Path, alice) -> None:
    from courses.services import answer_submit, quiz_attempt_start

    content_files.load(content_dir=content)
    quiz = Quiz.objects.get(slug="flask-fundamentals")
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    question = quiz.questions.get(
        kind="true_false", position=quiz.questions.filter(kind="true_false").first().position
    )
    answer_submit(attempt=attempt, question=question, value=True)
    quiz.title = "Flask fundamentals, edited"
    quiz.save()
    content_files.export(content_dir=content)
    assert content_files.load(content_dir=content).changes == 0
    text = (content / "quizzes" / "flask-fundamentals.toml").read_text()
    assert 'title = "Flask fundamentals, edited"' in text
    path = content / "quizzes" / "flask-fundamentals.toml"
    path.write_text(text.replace("pass_mark = 70", "pass_mark = 80"))
    assert content_files.load(content_dir=content).updated == ["quiz flask-fundamentals"]
    assert attempt.answers.count() == 1  # editing the quiz in place keeps learners' answers


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("correct = true", "correct = false", "needs exactly one correct choice"),
        ('kind = "single"', 'kind = "essay"', "kind must be one of"),
        (
            'article = "flask-in-depth#',
            'article = "flask-in-depth#no-such-section-',
            "has no section",
        ),
    ],
)
def test_invalid_quiz_files_name_file_and_line(
    content: Path, old: str, new: str, message: str
) -> None:
    path = content / "quizzes" / "flask-fundamentals.toml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(content_files.ContentError) as caught:
        content_files.load(content_dir=content)
    problem = next(p for p in caught.value.problems if message in p)
    assert problem.startswith(f"{path}:") and int(problem.split(":")[1]) > 1
    assert not Quiz.objects.exists()


# OWASP Top 10 2025 tags ----------------------------------------------------------------------


def _leads_with_2025(ids: list[str]) -> bool:
    return bool(ids) and is_current(ids[0])


def test_every_published_item_and_question_leads_with_an_owasp_2025_id(content: Path) -> None:
    content_files.load(content_dir=content)
    assert Question.objects.count() >= 100
    untagged = [a.slug for a in Article.objects.published() if not _leads_with_2025(a.owasp)]
    untagged += [q.slug for q in Quiz.objects.published() if not _leads_with_2025(q.owasp)]
    untagged += [
        str(q) for q in Question.objects.filter(quiz__status="published") if not q.owasp_current
    ]
    for manifest in sorted((CONTENT / "labs").glob("*/lab.toml")):
        if not _leads_with_2025(tomllib.loads(manifest.read_text()).get("owasp", [])):
            untagged.append(manifest.parent.name)
    assert untagged == []


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "quizzes/flask-fundamentals.toml",
            'owasp = ["A05:2025"]',
            'owasp = ["A11:2025"]',
            "unknown OWASP ids ['A11:2025']: use OWASP Top 10 2025 ids",
        ),
        (
            "quizzes/flask-fundamentals.toml",
            'owasp = ["A05:2025"]',
            'owasp = ["A03:2021", "A05:2025"]',
            "must list an OWASP Top 10 2025 id first (got A03:2021)",
        ),
        (
            "articles/server-side-template-injection.md",
            'owasp = ["A05:2025", "A03:2021"]',
            'owasp = ["A03:2021"]',
            "must list an OWASP Top 10 2025 id first",
        ),
        (
            "articles/server-side-template-injection.md",
            'owasp = ["A05:2025", "A03:2021"]',
            'owasp = ["Injection"]',
            "unknown OWASP ids ['Injection']",
        ),
    ],
)
def test_unknown_or_out_of_order_owasp_ids_are_rejected(
    content: Path, file: str, old: str, new: str, message: str
) -> None:
    path = content / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(content_files.ContentError) as caught:
        content_files.load(content_dir=content)
    assert any(message in p and p.startswith(f"{path}:") for p in caught.value.problems)
    assert not Quiz.objects.exists() and not Article.objects.exists()


def test_question_tags_survive_export_and_load(content: Path) -> None:
    content_files.load(content_dir=content)
    question = Question.objects.filter(quiz__slug="security-headers-and-csp").first()
    assert question.owasp == ["A05:2025", "A02:2025", "A03:2021"]
    content_files.export(content_dir=content)
    assert content_files.load(content_dir=content).changes == 0
    text = (content / "quizzes" / "security-headers-and-csp.toml").read_text()
    assert text.count("\nowasp = ") == 1 + question.quiz.questions.count()


def test_topic_filter_offers_only_2025_categories(content: Path) -> None:
    from courses.selectors.articles import article_list, topics

    content_files.load(content_dir=content)
    offered = topics(user=AnonymousUser())
    assert "A05:2025" in offered and "A10:2025" in offered
    assert not [t for t in offered if t.endswith(":2021")]
    ssrf = {a.slug for a in article_list(user=AnonymousUser(), topic="A01:2025")}
    assert "server-side-request-forgery" in ssrf
    assert article_list(user=AnonymousUser(), topic="A10:2021") == []  # not a filter option


def test_an_answered_question_shows_its_owasp_2025_category(content: Path, alice, client) -> None:
    from courses.services import quiz_attempt_start

    content_files.load(content_dir=content)
    quiz = Quiz.objects.get(slug="security-headers-and-csp")
    question = quiz.questions.get(position=1)
    attempt = quiz_attempt_start(user=alice, quiz=quiz)
    client.force_login(alice)
    url = reverse("courses:answer-create", args=[quiz.slug, attempt.pk, question.pk])
    right = question.choices.get(correct=True)
    body = client.post(url, {"choice": right.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "A05:2025 Injection" in body and "A02:2025 Security Misconfiguration" in body
    assert "earlier edition: A03:2021" in body
