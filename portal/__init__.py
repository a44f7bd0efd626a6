"""The site shell of Patchwise: settings, URLs, accounts glue and the Celery app."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
