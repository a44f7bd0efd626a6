"""Shared fixtures: the three people of every view test, published labs, and a clean slate.

Fixtures that more than one folder uses live here; a folder's own fixtures stay in its conftest,
and no conftest imports fixtures from another folder. Two plugins join them: tests/lanes.py (the
``sandbox``/``worker``/``e2e`` lanes) and tests/worker.py (``start_worker``, a real Celery worker).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

from courses.models import LearningPath, PathStep, Status, StepKind
from labs.models import Lab
from portal.models import AUTHORS_GROUP, User
from tests.factories import DEFAULT_PASSWORD, UserFactory, make_article, store_published

pytest_plugins = ["tests.lanes", "tests.worker"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Pages reference hashed static names, so the manifest must exist, as in production.

    Collected once by the main process, before any parallel worker starts (two collecting into
    the same folder at once would race).
    """
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Hash test passwords cheaply: the default hasher costs ~0.35 s a call on purpose, and every
    person and sign-in would pay it. Production's hashers have tests of their own in Django."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _fresh_cache(settings, _cache_dir: Path) -> None:
    """Rate limits and used TOTP codes live in the cache; no test may inherit another's.

    Each test gets keys of its own (a fresh prefix) instead of a cleared cache, because tests
    running in parallel share Redis; the file cache moves to a folder of this test process.
    """
    caches = {}
    for alias, conf in settings.CACHES.items():
        conf = {**conf, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        if conf["BACKEND"].endswith("FileBasedCache"):
            conf["LOCATION"] = str(_cache_dir)
        caches[alias] = conf
    settings.CACHES = caches


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def alice(db) -> User:
    """A learner."""
    return UserFactory(email="alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db) -> User:
    """Alice's team manager once teams exist; until then a second learner."""
    return UserFactory(email="bob@example.com", display_name="Bob")


@pytest.fixture
def charlie(db) -> User:
    """An outsider who must not see Alice's or Bob's things."""
    return UserFactory(email="charlie@example.com", display_name="Charlie")


@pytest.fixture
def author(db) -> User:
    user = UserFactory(email="erin@example.com", display_name="Erin", is_staff=True)
    user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    return user


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def flask_lab(db) -> Lab:
    """The Flask pilot lab, published (validation taken as passed: no sandbox)."""
    return store_published("flask-debug-console").lab


@pytest.fixture
def django_lab(db) -> Lab:
    """The Django pilot lab, published (validation taken as passed: no sandbox)."""
    return store_published("django-raw-sql-search").lab


@pytest.fixture
def path_with_steps(db, flask_lab: Lab) -> LearningPath:
    """A published path: an article, the Flask lab, another article."""
    first = make_article("first-article", frameworks=["flask"], cwe=["CWE-489"])
    second = make_article("second-article", frameworks=["django"], cwe=["CWE-89"])
    path = LearningPath.objects.create(
        slug="starter-path", title="Starter path", summary="Two articles and a lab.",
        status=Status.PUBLISHED,
    )  # fmt: skip
    PathStep.objects.create(path=path, position=1, kind=StepKind.ARTICLE, article=first)
    PathStep.objects.create(path=path, position=2, kind=StepKind.LAB, lab=flask_lab)
    PathStep.objects.create(path=path, position=3, kind=StepKind.ARTICLE, article=second)
    return path
