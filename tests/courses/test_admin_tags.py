"""Authors pick frameworks, CWE and OWASP ids in the admin with proper widgets, not JSON text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Article, Question, Quiz
from tests.factories import make_article, make_lab, make_quiz

pytestmark = pytest.mark.django_db


def _article_data(**overrides) -> dict:
    data = {
        "title": "Tagged", "slug": "tagged", "summary": "About tags.", "body": "## Hi\n\nText.",
        "frameworks": ["flask", "django"], "cwe": "CWE-79, cwe-89", "owasp": ["A05:2025"],
        "status": "draft", "published_at_0": "", "published_at_1": "", "author": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_article_form_shows_checkboxes_and_a_cwe_line(client: Client, author) -> None:
    client.force_login(author)
    make_article("tagged", frameworks=["fastapi"], cwe=["CWE-89", "CWE-79"], owasp=["A05:2025"])
    article = Article.objects.get(slug="tagged")
    html = client.get(reverse("admin:courses_article_change", args=[article.pk])).content.decode()
    assert 'type="checkbox" name="frameworks" value="fastapi"' in html
    assert 'name="owasp" value="A05:2025"' in html and "A05:2025 Injection" in html
    assert "A03:2021 Injection" in html  # the older edition is offered as a second tag
    assert 'name="cwe" value="CWE-89, CWE-79"' in html  # the stored list, as text to edit
    assert '["' not in html.split('name="cwe"')[1][:80]  # no JSON in sight


def test_saving_an_article_stores_lists_in_order(client: Client, author) -> None:
    client.force_login(author)
    response = client.post(
        reverse("admin:courses_article_add"),
        _article_data(owasp=["A03:2021", "A05:2025"], cwe="CWE-79, cwe-89, 89"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="tagged")
    assert article.frameworks == ["flask", "django"]
    assert article.cwe == ["CWE-79", "CWE-89"]  # normalised, duplicates dropped
    assert article.owasp == ["A05:2025", "A03:2021"]  # 2025 first whatever the tick order


def test_editing_keeps_the_authors_order_of_categories(client: Client, author) -> None:
    client.force_login(author)
    make_article("tagged", owasp=["A07:2025", "A01:2025", "A07:2021"])
    article = Article.objects.get(slug="tagged")
    data = _article_data(owasp=["A01:2025", "A07:2025", "A02:2025", "A07:2021"])
    response = client.post(reverse("admin:courses_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.owasp == ["A07:2025", "A01:2025", "A02:2025", "A07:2021"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cwe", "CWE-79, XSS", "Not a CWE id: XSS. Write ids like CWE-79"),
        ("owasp", ["A03:2021"], "Tick an OWASP Top 10 2025 category too"),
        ("owasp", ["A99:2025"], "Select a valid choice. A99:2025 is not one"),
        ("frameworks", ["rails"], "Select a valid choice. rails is not one"),
    ],
)
def test_bad_tags_get_clear_errors(client: Client, author, field, value, message) -> None:
    client.force_login(author)
    response = client.post(reverse("admin:courses_article_add"), _article_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.filter(slug="tagged").exists()


def test_an_unknown_stored_id_is_shown_and_kept(client: Client, author) -> None:
    client.force_login(author)
    make_article("tagged", owasp=["A05:2025", "A1:2017"])
    article = Article.objects.get(slug="tagged")
    html = client.get(reverse("admin:courses_article_change", args=[article.pk])).content.decode()
    assert "A1:2017 (not a known id)" in html
    data = _article_data(owasp=["A05:2025", "A1:2017"])
    assert (
        client.post(reverse("admin:courses_article_change", args=[article.pk]), data).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.owasp == ["A05:2025", "A1:2017"]


def _question_data(question: Question, **overrides) -> dict:
    data = {
        "quiz": question.quiz_id, "position": question.position, "kind": question.kind,
        "prompt": question.prompt, "explanation": question.explanation, "article": "",
        "scoring": "all_or_nothing", "answer": "true", "true_explanation": "Yes.",
        "false_explanation": "No.", "language": "python", "code": "", "answer_lines": "[]",
        "line_notes": "{}", "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_question_owasp_is_editable(client: Client, author) -> None:
    client.force_login(author)
    question = make_quiz().questions.get(kind="true_false")
    url = reverse("admin:courses_question_change", args=[question.pk])
    assert 'name="owasp" value="A05:2025"' in client.get(url).content.decode()
    response = client.post(url, _question_data(question, owasp=["A05:2025", "A03:2021"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.owasp == ["A05:2025", "A03:2021"]
    response = client.post(url, _question_data(question, owasp=["A03:2021"]))
    assert "Tick an OWASP Top 10 2025 category too" in response.content.decode()


def test_quiz_tags_use_pickers(client: Client, author) -> None:
    client.force_login(author)
    quiz = make_quiz()
    url = reverse("admin:courses_quiz_change", args=[quiz.pk])
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="frameworks" value="general"' in html
    data = {
        "slug": quiz.slug, "title": quiz.title, "description": quiz.description,
        "frameworks": ["general"], "cwe": "CWE-352", "owasp": ["A01:2025"], "pass_mark": 75,
        "time_limit_minutes": 0, "max_attempts": 0, "feedback": "immediate",
        "status": "published", "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 0, "questions-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quiz = Quiz.objects.get(pk=quiz.pk)
    assert (quiz.frameworks, quiz.cwe, quiz.owasp) == (["general"], ["CWE-352"], ["A01:2025"])


def test_lab_tags_use_pickers(client: Client, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(admin)
    lab = make_lab("tag-lab")
    url = reverse("admin:labs_lab_change", args=[lab.pk])
    html = client.get(url).content.decode()
    assert 'name="owasp" value="A05:2025"' in html and 'value="CWE-89"' in html
    data = {
        "slug": lab.slug, "title": lab.title, "framework": lab.framework,
        "difficulty": lab.difficulty, "vulnerability_class": lab.vulnerability_class,
        "summary": lab.summary, "cwe": "CWE-89, CWE-564", "owasp": ["A05:2025", "A03:2021"],
        "estimated_minutes": 15,
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    lab.refresh_from_db()
    assert lab.cwe == ["CWE-89", "CWE-564"] and lab.owasp == ["A05:2025", "A03:2021"]
    response = client.post(url, {**data, "cwe": "89; drop"})
    assert "Not a CWE id" in response.content.decode()
