"""WSGI entry point: `gunicorn inkpot.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inkpot.settings")

application = get_wsgi_application()

# The database is in memory (see settings), so it is built and filled here, once per process.
from accounts.seed import build_database  # noqa: E402

build_database()
