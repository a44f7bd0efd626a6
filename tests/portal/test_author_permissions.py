"""Authors edit content; learners' records are theirs: authors may view them, not write them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from courses.models import Article, ArticleProgress, QuizAttempt
from labs.models import ExploitAttempt, LabSession, Submission
from labs.services import lab_session_start
from portal.models import User
from portal.services import CONTENT_APPS, LEARNER_RECORDS
from tests.factories import UserFactory, make_article, make_quiz, make_quiz_attempt

pytestmark = pytest.mark.django_db


def _records(alice: User, flask_lab) -> dict[type[models.Model], models.Model]:
    article = make_article("first-article")
    session = lab_session_start(user=alice, lab=flask_lab)
    return {
        ArticleProgress: ArticleProgress.objects.create(user=alice, article=article),
        QuizAttempt: make_quiz_attempt(alice, make_quiz(), score=50),
        LabSession: session,
        Submission: Submission.objects.create(
            session=session, version=session.version, files={"app.py": "x"}
        ),
        ExploitAttempt: ExploitAttempt.objects.create(
            session=session, version=session.version, mode="request", request={"path": "/"}
        ),
    }


def _url(model: type[models.Model], action: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _user_fks(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is User
    ]


def _belongs_to_a_learner(model: type[models.Model], seen: frozenset = frozenset()) -> bool:
    """A row of ``model`` is one person's when a user key leads to it (an article's author does
    not make the article theirs: it is content)."""
    if model is Article or model in seen:
        return False
    if _user_fks(model):
        return True
    return any(
        _belongs_to_a_learner(f.related_model, seen | {model})
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    )


def test_every_per_learner_model_is_listed_as_a_learner_record() -> None:
    per_learner = {
        f"{m._meta.app_label}.{m._meta.model_name}"
        for app in CONTENT_APPS
        for m in apps.get_app_config(app).get_models()
        if _belongs_to_a_learner(m)
    }
    assert per_learner == set(LEARNER_RECORDS)


def test_authors_may_only_view_learner_records(author: User) -> None:
    for label in LEARNER_RECORDS:
        app, model = label.split(".")
        assert author.has_perm(f"{app}.view_{model}")
        for action in ("add", "change", "delete"):
            assert not author.has_perm(f"{app}.{action}_{model}"), f"{action} {label}"
    for perm in ("courses.add_article", "courses.change_quiz", "labs.change_lab"):
        assert author.has_perm(perm)


def test_author_cannot_add_change_or_delete_alices_records_but_can_view_them(
    client: Client, author: User, alice: User, flask_lab
) -> None:
    client.force_login(author)
    for model, row in _records(alice, flask_lab).items():
        name = model.__name__
        assert client.get(_url(model, "changelist")).status_code == 200, name
        page = client.get(_url(model, "change", row.pk))
        assert page.status_code == 200, name
        assert 'name="_save"' not in page.content.decode(), name  # a view page, no save button
        assert client.get(_url(model, "add")).status_code == 403, name
        assert client.post(_url(model, "add"), {"user": alice.pk}).status_code == 403, name
        assert client.post(_url(model, "change", row.pk), {}).status_code == 403, name
        assert client.get(_url(model, "delete", row.pk)).status_code == 403, name
        assert client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=row.pk).exists(), name


def test_author_cannot_bulk_delete_alices_progress(
    client: Client, author: User, alice: User, flask_lab
) -> None:
    row = _records(alice, flask_lab)[ArticleProgress]
    client.force_login(author)
    client.post(
        _url(ArticleProgress, "changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert ArticleProgress.objects.filter(pk=row.pk).exists()


def test_author_still_edits_content(client: Client, author: User) -> None:
    client.force_login(author)
    article = make_article("first-article")
    assert client.get(_url(Article, "add")).status_code == 200
    assert client.get(_url(Article, "change", article.pk)).status_code == 200
    assert client.get(_url(Article, "delete", article.pk)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        lambda: _url(ArticleProgress, "add"),
        lambda: _url(Article, "add"),
    ],
    ids=["article-progress", "article"],
)
def test_admin_add_forms_do_not_list_every_account(
    client: Client, alice: User, url: Callable[[], str]
) -> None:
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(url())
    assert response.status_code == 200
    assert "alice@example.com" not in response.content.decode()


def test_learner_record_add_forms_are_gone_where_nothing_can_be_typed(
    client: Client, alice: User
) -> None:
    """Sessions, attempts and runs are made by the learner's own actions, even for superusers."""
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    for model in (QuizAttempt, LabSession, Submission, ExploitAttempt):
        assert client.get(_url(model, "add")).status_code == 403, model.__name__
    assert client.get(_url(ArticleProgress, "add")).status_code == 200
