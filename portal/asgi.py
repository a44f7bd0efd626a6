"""ASGI entry point."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

from portal.lib.env import run_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = run_or_exit(get_asgi_application)
