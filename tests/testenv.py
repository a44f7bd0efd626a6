"""Loaded by pytest before Django (see ``addopts``): the environment the suite runs in.

The suite runs with development defaults (a known SECRET_KEY, no forced HTTPS) unless the caller
sets the variables; DATABASE_URL and REDIS_URL pass through, so the same tests run on SQLite with
the filesystem broker or on PostgreSQL with Redis.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # sync Playwright beside live_server
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "mandatory")

# A test database file of this run's own (SQLite), so two runs on one machine never share it.
os.environ.setdefault(
    "PATCHWISE_TEST_DB", f"{tempfile.gettempdir()}/patchwise-test-{os.getpid()}.sqlite3"
)

# A broker folder of this run's own, so a worker started by a test never meets messages left by
# another run or by a `make run` worker on the same machine.
if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
    os.environ.setdefault("PATCHWISE_BROKER_DIR", tempfile.mkdtemp(prefix="patchwise-broker-"))
