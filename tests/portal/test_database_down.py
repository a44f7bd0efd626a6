"""PostgreSQL unreachable, for real: the site served by a process whose database does not answer
says so with a plain 503 page, and ``/healthz`` names the part that is down."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.worker import ROOT

KEY = "database-down-test-" + "k" * 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site_without_database(tmp_path_factory) -> Iterator[str]:
    """gunicorn in production settings, pointed at a PostgreSQL port nothing listens on."""
    port, dead = _free_port(), _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DEBUG": "0",
        "SECRET_KEY": KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead}/nothing",
        "PATCHWISE_ENV_FILE": os.devnull,
        "PATCHWISE_BROKER_DIR": str(tmp_path_factory.mktemp("broker")),
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/healthz", timeout=2)
            break
        except httpx.TransportError:
            assert proc.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.parametrize("path", ["/learn/", "/labs/", "/accounts/login/"])
def test_pages_say_the_site_is_briefly_unavailable(site_without_database: str, path: str) -> None:
    response = httpx.get(site_without_database + path, timeout=10)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "30"
    assert "Patchwise is briefly unavailable" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert "5432" not in response.text and "postgres" not in response.text


def test_the_home_page_needs_no_database_for_a_visitor(site_without_database: str) -> None:
    response = httpx.get(site_without_database + "/", timeout=10)
    assert response.status_code == 200 and "Patchwise" in response.text


def test_a_signed_in_visit_is_told_too(site_without_database: str) -> None:
    """A session cookie means a database read (the session, the user): the same 503 page."""
    response = httpx.get(site_without_database + "/", cookies={"sessionid": "x" * 32}, timeout=10)
    assert response.status_code == 503 and "briefly unavailable" in response.text


def test_healthz_names_the_database_as_the_part_that_is_down(site_without_database: str) -> None:
    response = httpx.get(site_without_database + "/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["parts"]["database"] == "down"
    assert "postgres" not in response.text
