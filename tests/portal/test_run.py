"""`make run`: the sign-in banner is the last thing on screen, and Ctrl-C stops everything cleanly.

The slow test starts what `make run` starts (scripts/run.py with the Procfile: web server, Celery
worker, beat) against a fresh SQLite database and filesystem broker in a temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.services import DEMO_PEOPLE

ROOT = Path(__file__).resolve().parents[2]
BANNER_END = "Press Ctrl-C to stop"
#: Variables that would point the processes at another database or broker than the test's.
FOREIGN = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "PATCHWISE_BROKER_DIR")


def test_the_banner_lists_every_demo_sign_in() -> None:
    banner = subprocess.run(
        ["bash", str(ROOT / "scripts" / "banner.sh")],
        env={**os.environ, "PATCHWISE_PORT": "8123", "DEMO_PASSWORD": "s3cret"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "http://127.0.0.1:8123/" in banner
    assert "s3cret" in banner
    for person in DEMO_PEOPLE:
        assert person.email in banner, f"{person.email} ({person.role}) is missing from the banner"


def test_a_port_in_use_is_named_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "scripts/run.py"], cwd=ROOT,
            env={**os.environ, "PATCHWISE_PORT": str(port), "PATCHWISE_VAR_DIR": str(tmp_path)},
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert done.returncode == 1
    assert f"Port {port} is in use" in done.stdout
    assert "Starting" not in done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_marked(marker: str) -> list[int]:
    """Pids of the processes whose environment holds ``marker`` (all started by this test)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.fixture
def run_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DEBUG="1",
        PATCHWISE_VAR_DIR=str(var),
        PATCHWISE_ENV_FILE=str(tmp_path / "no.env"),
        PATCHWISE_PORT=str(free_port()),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip
    yield env
    for pid in processes_marked(f"PATCHWISE_VAR_DIR={var}\0"):  # whatever a failure left behind
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.worker
def test_make_run_prints_the_banner_last_and_stops_cleanly_on_ctrl_c(
    run_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "run.log"
    started = time.monotonic()
    run = subprocess.Popen(
        [sys.executable, "scripts/run.py"], cwd=ROOT, env=run_env,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    while BANNER_END not in (output := log.read_text(errors="replace")):
        assert run.poll() is None, f"make run's processes stopped:\n{output}"
        assert time.monotonic() - started < 60, f"no banner after 60 s:\n{output}"
        time.sleep(0.1)
    to_banner = time.monotonic() - started
    time.sleep(2)  # a process still starting would print now, under the banner
    output = log.read_text(errors="replace")
    before, _, after = output.partition("Patchwise is running")
    assert after.rstrip().endswith(f"{BANNER_END} the web server, the worker and beat."), output
    assert f"http://127.0.0.1:{run_env['PATCHWISE_PORT']}/" in after
    # The worker's banner, its config dump and its warnings stay out of the way.
    lines = before.splitlines()
    assert len(lines) <= 20, f"{len(lines)} lines before the banner:\n{before}"
    for noise in ("[config]", "[tasks]", "superuser", "No hostname", "beat: Starting"):
        assert noise not in before, f"{noise!r} printed before the banner:\n{before}"

    ctrl_c = time.monotonic()
    os.killpg(run.pid, signal.SIGINT)  # what the terminal does: the script's group only
    code = run.wait(timeout=40)
    to_stop = time.monotonic() - ctrl_c
    output = log.read_text(errors="replace")
    stopping = output.partition("Stopping")[2]
    assert code in (0, 130), output
    assert "Stopped in" in stopping, output
    for trouble in ("did not stop", "killed", "SIGKILL", "signal 9", "exited with"):
        assert trouble not in stopping, output
    assert "Traceback" not in output, output
    assert not processes_marked(f"PATCHWISE_VAR_DIR={run_env['PATCHWISE_VAR_DIR']}\0")
    assert not list(Path(run_env["PATCHWISE_VAR_DIR"]).glob("**/*.pid"))
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(run_env["PATCHWISE_PORT"])), timeout=1).close()
    print(f"{len(lines)} lines before the banner, at {to_banner:.1f} s; stopped in {to_stop:.1f} s")
