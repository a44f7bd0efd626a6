"""How much the site shell costs per request, as ratios against a trivial view in the same run.

Run with `make bench` (or `.venv/bin/python benchmarks/pages.py`). Uses a throwaway SQLite
database under a temporary folder, so it never touches your data.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
_tmp = tempfile.mkdtemp(prefix="patchwise-bench-")
os.environ["PATCHWISE_VAR_DIR"] = _tmp
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("__trivial__", trivial), path("", include("portal.urls"))]


def measure(client: Client, url: str) -> float:
    """Median seconds per GET over ROUNDS requests, after a warm-up."""
    for _ in range(20):
        client.get(url)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from portal.services import user_create_verified

    alice, _ = user_create_verified(email="alice@example.com", password="bench-password-1")
    with override_settings(ROOT_URLCONF=__name__):
        anonymous = Client()
        signed_in = Client()
        signed_in.force_login(alice)
        baseline = measure(anonymous, "/__trivial__")
        rows = [
            ("home, signed out", measure(anonymous, "/")),
            ("home, signed in", measure(signed_in, "/")),
            ("sign-in page", measure(anonymous, "/accounts/login/")),
            ("healthz", measure(anonymous, "/healthz")),
        ]
    print(f"baseline: trivial view {baseline * 1000:.2f} ms (median of {ROUNDS})")
    for name, seconds in rows:
        print(f"{name:<18} {seconds * 1000:7.2f} ms  ratio {seconds / baseline:6.1f}x")


if __name__ == "__main__":
    main()
