"""OWASP Top 10 2025 tags show on every item, named, with earlier ids as quieter secondary tags."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import LearningPath, PathStep, StepKind
from tests.factories import make_article, make_lab, make_quiz

pytestmark = pytest.mark.django_db


def _tags(html: str) -> list[tuple[str, str]]:
    """(kind, text) of every OWASP badge on the page, in order."""
    return [
        (kind, re.sub(r"<[^>]+>", "", text).strip())
        for kind, text in re.findall(
            r'<li class="badge badge-(owasp(?:-older)?)"[^>]*>(.*?)</li>', html
        )
    ]


def test_article_properties_split_editions() -> None:
    article = make_article("a", owasp=["A07:2025", "A01:2025", "A07:2021"])
    assert article.owasp_current == [
        "A07:2025 Authentication Failures",
        "A01:2025 Broken Access Control",
    ]
    assert article.owasp_older == ["A07:2021"]


def test_article_page_header_shows_2025_labels_first(client: Client) -> None:
    make_article("injected", owasp=["A05:2025", "A03:2021"])
    html = client.get(reverse("courses:article-detail", args=["injected"])).content.decode()
    header = html.split('<h1 id="article-title">')[1].split("</header>")[0]
    assert _tags(header) == [
        ("owasp", "A05:2025 Injection"),
        ("owasp-older", "Earlier edition: A03:2021"),
    ]


def test_article_without_tags_shows_no_empty_list(client: Client) -> None:
    make_article("untagged")
    html = client.get(reverse("courses:article-detail", args=["untagged"])).content.decode()
    assert "owasp-tags" not in html


def test_quiz_intro_shows_the_quiz_categories(client: Client) -> None:
    make_quiz(owasp=["A05:2025", "A01:2025", "A03:2021"])
    html = client.get(reverse("courses:quiz-detail", args=["tiny-quiz"])).content.decode()
    assert _tags(html) == [
        ("owasp", "A05:2025 Injection"),
        ("owasp", "A01:2025 Broken Access Control"),
        ("owasp-older", "Earlier edition: A03:2021"),
    ]


def test_learn_page_cards_show_tags(client: Client) -> None:
    make_article("injected", owasp=["A05:2025", "A03:2021"])
    make_quiz(owasp=["A07:2025"])
    html = client.get(reverse("courses:learn")).content.decode()
    tags = _tags(html)
    assert ("owasp", "A07:2025 Authentication Failures") in tags  # the quiz card
    assert ("owasp", "A05:2025 Injection") in tags and (
        "owasp-older",
        "Earlier edition: A03:2021",
    ) in tags


def test_path_steps_show_the_tags_of_articles_quizzes_and_labs(client: Client) -> None:
    article = make_article("injected", owasp=["A05:2025"])
    quiz = make_quiz(owasp=["A07:2025"])
    lab = make_lab("ssrf-lab", owasp=["A01:2025", "A10:2021"])
    path = LearningPath.objects.create(slug="p", title="P", summary="s", status="published")
    PathStep.objects.create(path=path, position=1, kind=StepKind.ARTICLE, article=article)
    PathStep.objects.create(path=path, position=2, kind=StepKind.QUIZ, quiz=quiz)
    PathStep.objects.create(path=path, position=3, kind=StepKind.LAB, lab=lab)
    html = client.get(reverse("courses:path-detail", args=["p"])).content.decode()
    assert _tags(html) == [
        ("owasp", "A05:2025 Injection"),
        ("owasp", "A07:2025 Authentication Failures"),
        ("owasp", "A01:2025 Broken Access Control"),
        ("owasp-older", "Earlier edition: A10:2021"),
    ]
