"""Shared fixtures: the three people of every view test, and a clean slate per test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from portal.models import AUTHORS_GROUP, User
from tests.courses.conftest import path_with_steps  # noqa: F401  (fixtures for every folder)
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.labs.fixtures import django_lab, flask_lab  # noqa: F401
from tests.worker import start_worker  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _static_files() -> None:
    """Pages reference hashed static names, so the manifest must exist, as in production."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Rate limits and used TOTP codes live in the cache; no test may inherit another's."""
    cache.clear()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def alice(db) -> User:
    """A learner."""
    return UserFactory(email="alice@example.com", display_name="Alice")


@pytest.fixture
def bob(db) -> User:
    """Alice's team manager (teams arrive later; for now an ordinary account)."""
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
