"""What every piece of published content shares: a draft/published status and who may see drafts."""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet[_M]):
    """Filters for models with a ``status`` field: articles, learning paths and quizzes."""

    def published(self) -> PublishableQuerySet[_M]:
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user: Any) -> PublishableQuerySet[_M]:
        """Authors see drafts too, so they can check them in place; everyone else only what is
        published."""
        if getattr(user, "is_authenticated", False) and user.is_author:
            return self.all()
        return self.published()


def fingerprint(fields: dict[str, Any]) -> str:
    """A stable hash of content fields, to tell whether a row changed since its last sync."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()
