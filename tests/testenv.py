"""Loaded by pytest before Django (see ``addopts``): the environment the suite runs in.

The suite runs with development defaults (a known SECRET_KEY, no forced HTTPS) unless the caller
sets the variables; DATABASE_URL and REDIS_URL pass through, so the same tests run on SQLite with
the filesystem broker or on PostgreSQL with Redis.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # sync Playwright beside live_server
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
