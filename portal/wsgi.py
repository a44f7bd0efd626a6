"""WSGI entry point (gunicorn portal.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from portal.lib.env import run_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = run_or_exit(get_wsgi_application)
