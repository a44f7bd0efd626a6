"""One list of frameworks for the whole project, and the sandbox's Django-free copy agrees."""

from __future__ import annotations

from courses.models import FRAMEWORK_TAGS
from labs import models as lab_models
from labs.sandbox.config import FRAMEWORKS
from portal.lib.frameworks import Framework


def test_sandbox_frameworks_equal_the_project_list() -> None:
    assert list(FRAMEWORKS) == Framework.values


def test_labs_and_courses_use_the_project_list() -> None:
    assert lab_models.Framework is Framework
    assert lab_models.Lab._meta.get_field("framework").choices == Framework.choices
    assert FRAMEWORK_TAGS[: len(Framework.choices)] == Framework.choices
