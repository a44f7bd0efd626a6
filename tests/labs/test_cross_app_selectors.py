"""What other apps read about labs: slugs, published labs, and a learner's own sessions only."""

from __future__ import annotations

import pytest

from labs import selectors
from labs.models import Lab
from labs.services import lab_session_start

pytestmark = pytest.mark.django_db


def test_lab_slugs_and_lookup_by_slug(flask_lab, django_lab) -> None:
    assert selectors.lab_slugs() == {flask_lab.slug, django_lab.slug}
    assert selectors.lab_by_slug(slug=flask_lab.slug) == flask_lab
    with pytest.raises(Lab.DoesNotExist):
        selectors.lab_by_slug(slug="no-such-lab")


def test_published_labs_leave_out_unpublished_ones(flask_lab, django_lab) -> None:
    Lab.objects.filter(pk=django_lab.pk).update(published_version=None)
    assert list(selectors.published_labs()) == [flask_lab]


def test_lab_sessions_are_the_learners_own_keyed_by_lab(
    alice, bob, flask_lab, django_lab, django_assert_num_queries
) -> None:
    mine = lab_session_start(user=alice, lab=flask_lab)
    lab_session_start(user=bob, lab=django_lab)
    with django_assert_num_queries(1):
        sessions = selectors.lab_sessions_for(user=alice, lab_ids={flask_lab.pk, django_lab.pk})
    assert sessions == {flask_lab.pk: mine}
    assert list(selectors.user_lab_sessions(user=alice)) == [mine]
    assert [s.lab for s in selectors.user_lab_sessions(user=bob)] == [django_lab]
