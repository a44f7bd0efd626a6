"""A real Celery worker process for tests where the queue is the point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, log: Path, node: str = "", **env: str) -> None:
        self.log = log
        environ = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1", **env}
        environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        cmd = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--concurrency=1",
               "--without-mingle", "--without-gossip", "--loglevel=INFO"]  # fmt: skip
        if node:
            cmd.append(f"--hostname={node}")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=environ, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("worker did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.1)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            return
        self.proc.wait(timeout=30)


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers on demand (``start_worker(SETTING="value")``); all are stopped afterwards."""
    workers: list[Worker] = []
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"],
        cwd=ROOT, env={**os.environ, "DEBUG": "1"}, capture_output=True, timeout=60,
    )  # fmt: skip

    def start(node: str = "", **env: str) -> Worker:
        worker = Worker(tmp_path / f"worker{len(workers)}.log", node=node, **env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill(signal.SIGTERM)
