"""WSGI entry point: `gunicorn cuppa.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cuppa.settings")

application = get_wsgi_application()

# The database is in memory (see settings), so it is built and filled here, once per process.
from club.seed import build_database  # noqa: E402

build_database()
