from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal and accounts"

    def ready(self) -> None:
        # Content models arrive app by app; re-granting after each content app migrates keeps the
        # Authors group in step with whatever content models exist now.
        post_migrate.connect(_sync_authors, dispatch_uid="portal-authors-sync")


def _sync_authors(sender: AppConfig, **kwargs: object) -> None:
    from portal.services import CONTENT_APPS, authors_group_sync

    if sender.label in CONTENT_APPS:
        authors_group_sync(using=str(kwargs.get("using", "default")))
