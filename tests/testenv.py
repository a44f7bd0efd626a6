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

# Set in the processes of a parallel run (pytest -n 2): they inherit the main process's variables.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

# A test database file of this run's own (SQLite), so two runs on one machine never share it. In a
# parallel run pytest-django appends the worker's name (``..._gw0``), so each process has its own.
os.environ.setdefault(
    "PATCHWISE_TEST_DB", f"{tempfile.gettempdir()}/patchwise-test-{os.getpid()}.sqlite3"
)

# A broker folder of this run's own (of each process, in a parallel run), so a worker started by a
# test never meets messages left by another run, another process or a `make run` worker.
embedded_broker = not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL")
if embedded_broker and (XDIST_WORKER or not os.environ.get("PATCHWISE_BROKER_DIR")):
    os.environ["PATCHWISE_BROKER_DIR"] = tempfile.mkdtemp(prefix="patchwise-broker-")
