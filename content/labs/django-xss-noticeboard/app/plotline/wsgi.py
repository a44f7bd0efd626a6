"""WSGI entry point: ``gunicorn plotline.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plotline.settings")

application = get_wsgi_application()
