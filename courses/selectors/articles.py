"""What article pages read: the filtered list, the topic filter, related labs and quizzes."""

from __future__ import annotations

from typing import Any

from courses.models import Article, PathStep, Quiz
from labs import selectors as lab_selectors
from portal.lib.owasp import is_current


def article_list(*, user: Any, framework: str = "", topic: str = "") -> list[Article]:
    """Articles the viewer may see, filtered by framework and by CWE or OWASP 2025 topic.

    JSON lists are filtered here rather than in SQL: SQLite has no JSON ``contains`` lookup,
    and the article count is small.
    """
    articles = Article.objects.visible_to(user).defer("body", "body_html", "toc_html")
    return [
        a
        for a in articles.order_by("title")
        if (not framework or framework in a.frameworks)
        and (not topic or topic in a.cwe or (is_current(topic) and topic in a.owasp))
    ]


def topics(*, user: Any) -> list[str]:
    """Every CWE and OWASP Top 10 2025 id used by visible articles, for the topic filter.

    Earlier editions' ids stay on the articles as secondary tags but are not offered here:
    one edition in the filter keeps a category from appearing twice under two numbers.
    """
    seen: set[str] = set()
    for cwe, owasp in Article.objects.visible_to(user).values_list("cwe", "owasp"):
        seen.update(cwe)
        seen.update(code for code in owasp if is_current(code))
    return sorted(seen, key=lambda t: (not t.startswith("CWE"), len(t), t))


def related_labs(*, article: Article) -> list[Any]:
    """Published labs that teach one of the article's weaknesses, or named in its paths."""
    wanted = set(article.cwe)
    labs = list(lab_selectors.published_labs())
    by_cwe = [lab for lab in labs if wanted & set(lab.cwe)]
    linked_ids = set(
        PathStep.objects.filter(path__steps__article=article, lab__isnull=False).values_list(
            "lab_id", flat=True
        )
    )
    ordered = by_cwe + [lab for lab in labs if lab.pk in linked_ids and lab not in by_cwe]
    return ordered[:4]


def related_quizzes(*, article: Article, user: Any) -> list[Quiz]:
    """Quizzes with a question that points back at this article."""
    return list(
        Quiz.objects.visible_to(user)
        .filter(questions__article__startswith=f"{article.slug}#")
        .distinct()
        .order_by("title")
    )
