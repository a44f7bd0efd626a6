"""Grading speed, as ratios against baselines measured in the same run.

1. Sandbox overhead: grading a lab's reference fix through the sandbox vs running the very same
   server and test scripts without bubblewrap (goal: ratio <= 1.3).
2. Click-to-verdict through the web view, the broker and a real Celery worker (goal: p50 <= 1 s),
   reported against the bare grading time.
3. Throughput with two worker processes, against the ideal of two gradings in parallel.

Needs a provisioned machine (`make test` or `make run` does it) and root, like the worker.
Uses Redis when REDIS_URL is set, else the filesystem broker; always a throwaway SQLite database.
Run: `make bench`, or `.venv/bin/python benchmarks/grading.py [--runs 10] [--lab SLUG]`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="patchwise-bench-"))
os.environ.update(
    DEBUG="1",
    DJANGO_SETTINGS_MODULE="portal.settings",
    PATCHWISE_VAR_DIR=str(_tmp / "var"),
    DATABASE_URL=f"sqlite:///{_tmp / 'bench.sqlite3'}",
    ACCOUNT_RATE_LIMITS_ENABLED="0",
    LAB_SUBMISSIONS_PER_MINUTE="100000",
    ALLOWED_HOSTS="testserver,localhost",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from tests.labs.fixtures import LABS, store_published  # noqa: E402

from labs import sandbox  # noqa: E402
from labs.models import Submission  # noqa: E402
from labs.services import sandbox_config, sandbox_limits  # noqa: E402
from labs.services.workspace import overlay_workspace  # noqa: E402
from portal.services import user_create_verified  # noqa: E402


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def unsandboxed_grade(spec: sandbox.LabSpec, workspace: Path) -> float:
    """The engine's own server and test scripts, run directly as this user: no isolation."""
    inside = Path(sandbox.__file__).parent / "inside"
    python = str(sandbox_config().runtimes_dir / spec.framework / "bin" / "python")
    job = Path(tempfile.mkdtemp(prefix="unsandboxed-"))
    started = time.perf_counter()
    try:
        app = job / "app"
        shutil.copytree(workspace, app)
        shutil.copytree(spec.root / "tests" / "hidden", job / "tests")
        (job / "report").mkdir()
        sock = str(job / "app.sock")
        ready_r, ready_w = os.pipe()
        env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **spec.env}
        if spec.exploit is not None:
            env[spec.exploit.flag_env] = "FLAG{benchmark}"
        env.update(
            PATCHWISE_ENTRYPOINT=spec.entrypoint,
            PATCHWISE_INTERFACE=spec.interface,
            PATCHWISE_SOCKET=sock,
            PATCHWISE_READY_FD=str(ready_w),
        )
        server = subprocess.Popen(
            [python, "-I", "-B", "-u", str(inside / "serve.py")],
            cwd=app, env=env, pass_fds=(ready_w,), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(ready_w)
        test_env = {
            "PATH": "/usr/bin:/bin",
            "PATCHWISE_APP_SOCKET": sock,
            "PATCHWISE_APP_DIR": str(app),
            "PATCHWISE_TESTS_DIR": str(job / "tests"),
            "PATCHWISE_REPORT": str(job / "report" / "report.jsonl"),
            "PATCHWISE_LAB_FLAG": "FLAG{benchmark}",
        }
        subprocess.run(
            [python, "-I", "-B", "-u", str(inside / "run_tests.py")],
            cwd=job / "tests", env=test_env, capture_output=True, check=False, timeout=60,
        )  # fmt: skip
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        os.close(ready_r)
        report = (job / "report" / "report.jsonl").read_text()
        assert '"failed"' not in report, "the reference fix should pass unsandboxed too"
        return time.perf_counter() - started
    finally:
        shutil.rmtree(job, ignore_errors=True)


def sandbox_overhead(lab: str, runs: int) -> float:
    spec = sandbox.load_lab(LABS / lab)
    workspace = overlay_workspace(spec.app_dir, spec.solution_dir, _tmp / "fixed")
    boxed, bare = [], []
    for _ in range(runs):  # interleaved, so machine load hits both alike
        t0 = time.perf_counter()
        result = sandbox.grade(
            lab=spec, workspace=workspace, limits=sandbox_limits(), config=sandbox_config()
        )
        boxed.append(time.perf_counter() - t0)
        assert result.passed, result.verdict
        bare.append(unsandboxed_grade(spec, workspace))
    b, u = statistics.median(boxed), statistics.median(bare)
    print(f"[1] sandboxed grading   median {b * 1000:7.0f} ms  (runs: {runs})")
    print(f"    unsandboxed, same   median {u * 1000:7.0f} ms  (baseline)")
    print(f"    ratio sandboxed / unsandboxed: {b / u:.2f}  (goal <= 1.3)")
    return b


def start_workers(count: int) -> list[subprocess.Popen]:
    log = (_tmp / "workers.log").open("ab")  # open for the workers' lifetime
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--concurrency=1",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=bench{i}@%h",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for i in range(count)
    ]
    time.sleep(4)  # let them connect
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=30)


def wait_finished(pks: list[int], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while Submission.objects.filter(pk__in=pks).exclude(status="finished").exists():
        if time.monotonic() > deadline:
            raise SystemExit("gradings did not finish in time; see workers.log")
        time.sleep(0.01)


def click_to_verdict(lab, runs: int, bare_seconds: float) -> None:
    user, _ = user_create_verified(email="bench@example.com", password="bench-password-1")
    client = Client()
    client.force_login(user)
    url = f"/labs/{lab.slug}/workspace/"
    client.get(f"/labs/{lab.slug}/")
    samples = []
    procs = start_workers(1)
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.post(url, {"action": "submit"})
            assert response.status_code == 302, response.status_code
            pk = Submission.objects.latest("pk").pk
            wait_finished([pk])
            samples.append(time.perf_counter() - t0)
    finally:
        stop_workers(procs)
    p50, p95 = statistics.median(samples), pct(samples, 0.95)
    line = f"[2] click-to-verdict    p50 {p50 * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms"
    print(line + "  (goal p50 <= 1000 ms)")
    print(f"    ratio p50 / bare sandboxed grading: {p50 / bare_seconds:.2f}")


def throughput(lab, jobs: int, bare_seconds: float) -> None:
    from labs.services import lab_session_start, submission_create

    sessions = []
    for i in range(jobs):
        user, _ = user_create_verified(email=f"tp{i}@example.com", password="bench-password-1")
        sessions.append(lab_session_start(user=user, lab=lab))
    procs = start_workers(2)
    try:
        t0 = time.perf_counter()
        pks = [submission_create(session=s, files={}).pk for s in sessions]
        wait_finished(pks)
        elapsed = time.perf_counter() - t0
    finally:
        stop_workers(procs)
    rate, ideal = jobs / elapsed, 2 / bare_seconds
    print(f"[3] two workers         {rate:5.2f} gradings/s  ({jobs} jobs in {elapsed:.1f} s)")
    print(f"    ratio to ideal 2 / bare grading ({ideal:.2f}/s): {rate / ideal:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--lab", default="flask-debug-console")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    broker = settings.CELERY_BROKER_URL.split("://")[0]
    print(f"lab {args.lab}; broker {broker}; {os.cpu_count()} cores")
    bare = sandbox_overhead(args.lab, args.runs)
    lab = store_published(args.lab).lab
    click_to_verdict(lab, args.runs, bare)
    throughput(lab, args.jobs, bare)
    shutil.rmtree(_tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
