"""WSGI entry point: `gunicorn packlight.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "packlight.settings")

application = get_wsgi_application()

# The database is in memory (see DATABASES in settings), so it is built and filled here, once per
# server process, before the first request arrives.
from trips.seed import build_database  # noqa: E402

build_database()
