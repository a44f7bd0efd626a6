"""WSGI entry point: `gunicorn shop.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()

# The database is in memory (see DATABASES in settings), so it is built and stocked here, once per
# server process, before the first request arrives.
from catalogue.seed import build_database  # noqa: E402

build_database()
