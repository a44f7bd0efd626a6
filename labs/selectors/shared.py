"""What other apps read about labs: courses links articles and path steps to labs and
shows a learner's lab progress, but never imports ``labs.models``."""

from __future__ import annotations

from django.db.models import QuerySet

from labs.models import (
    Lab,
    LabSession,
)
from portal.models import User


def lab_slugs() -> set[str]:
    """Slugs of every lab in the database, published or not (one query)."""
    return set(Lab.objects.values_list("slug", flat=True))


def lab_by_slug(*, slug: str) -> Lab:
    """The lab with this slug; raises ``Lab.DoesNotExist`` (callers validate slugs first)."""
    return Lab.objects.get(slug=slug)


def published_labs() -> QuerySet[Lab]:
    """Labs that learners can open: those with a published version."""
    return Lab.objects.published()


def lab_sessions_for(*, user: User, lab_ids: set[int]) -> dict[int, LabSession]:
    """The learner's session on each of these labs that they started, by lab id (one query)."""
    return {s.lab_id: s for s in LabSession.objects.filter(user=user, lab_id__in=lab_ids)}


def user_lab_sessions(*, user: User) -> QuerySet[LabSession]:
    """Every lab session of the learner with its lab, most recently active first."""
    return LabSession.objects.filter(user=user).select_related("lab").order_by("-updated_at")
