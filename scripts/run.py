"""Start the processes of the Procfile for `make run`, print the banner last, stop them cleanly.

Why not honcho: it cannot print the sign-in banner once the worker is ready (so the banner ends
up under the processes' start-up output), and on Ctrl-C it sends SIGTERM to each whole process
group, killing the worker's pool processes under it, then SIGKILLs whatever is still running
after 5 s; an idle Celery worker on the filesystem broker needs about 6 s for its warm shutdown.

Here each process runs in a session of its own, so the terminal's Ctrl-C reaches only this
script, which then stops each process the way it expects: the web server gets SIGINT (as from a
terminal), the Celery worker and beat get SIGTERM on their main process (their warm shutdown;
the worker stops its own pool). A process that has not stopped after ``--grace`` seconds, or
when Ctrl-C is pressed again, is killed, and this is said. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Printed by scripts/dev_worker.py once the worker takes tasks; replaced by the banner.
READY_LINE = "Celery worker ready."
#: What each process prints once it is ready (runserver prints it once its port is open); the
#: banner waits for all of them, and for a moment of quiet after them.
READY_MARKS = {"worker": READY_LINE, "web": "Quit the server with"}
#: How each process wants to be asked to stop; anything else gets SIGTERM on its main process.
STOP_SIGNALS = {"web": signal.SIGINT}
#: Processes whose whole group gets the stop signal (runserver's autoreloader and its child).
STOP_GROUP = frozenset({"web"})

SUPERUSER_WARNING = "ignore:You're running the worker with superuser privileges"

_print_lock = threading.Lock()
_last_output = [time.monotonic()]


def say(text: str) -> None:
    with _print_lock:
        _last_output[0] = time.monotonic()
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()


@dataclass
class Process:
    name: str
    command: str
    started: subprocess.Popen[bytes] | None = None
    reader: threading.Thread | None = field(default=None, repr=False)
    ready: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def popen(self) -> subprocess.Popen[bytes]:
        if self.started is None:
            raise RuntimeError(f"{self.name} was not started")
        return self.started

    def running(self) -> bool:
        return self.started is not None and self.started.poll() is None

    def signal(self, sig: int, *, group: bool) -> None:
        try:
            if group:
                os.killpg(self.popen.pid, sig)
            else:
                os.kill(self.popen.pid, sig)
        except ProcessLookupError:
            pass


def read_procfile(path: Path) -> list[Process]:
    """``name: command`` lines; blank lines and ``#`` comments are skipped."""
    processes = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip():
            raise SystemExit(f"{path}: not a `name: command` line: {line!r}")
        processes.append(Process(name.strip(), command.strip()))
    return processes


def pump(process: Process) -> None:
    """Copy the process's output to ours, line by line, and note when it says it is ready."""
    mark = READY_MARKS.get(process.name)
    for raw in process.popen.stdout or ():
        line = raw.decode(errors="replace")
        if mark and line.startswith(mark):
            process.ready.set()
            if line.strip() == READY_LINE:
                continue  # said by scripts/dev_worker.py for us alone
        say(line)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (zombies waiting to be reaped do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def banner(script: Path) -> str:
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


class Supervisor:
    def __init__(self, processes: list[Process], *, grace: float) -> None:
        self.processes = processes
        self.grace = grace
        self.stop_requests = 0
        self.wake = threading.Event()

    def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",  # emails and logs appear as they happen
            # Celery warns at length when it runs as root, as `make run` does: the grading
            # sandbox needs root to drop each graded program to a user of its own.
            "PYTHONWARNINGS": ",".join(
                filter(None, (os.environ.get("PYTHONWARNINGS"), SUPERUSER_WARNING))
            ),
        }
        for process in self.processes:
            process.started = subprocess.Popen(
                ["/bin/sh", "-c", process.command],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the terminal's Ctrl-C reaches this script only
            )
            process.reader = threading.Thread(target=pump, args=(process,), daemon=True)
            process.reader.start()

    def on_signal(self, signum: int, _frame: object) -> None:
        self.stop_requests += 1
        self.wake.set()

    def wait_until_ready(self, *, timeout: float) -> Process | None:
        """Wait until the web server and the worker say they are ready and their output has
        calmed down, so that the banner comes last; returns a process that exited meanwhile."""
        deadline = time.monotonic() + timeout
        waiting = [p for p in self.processes if p.name in READY_MARKS]
        while not all(p.ready.is_set() for p in waiting):
            if self.stop_requests:
                return None
            if exited := self.first_exited():
                return exited
            if time.monotonic() > deadline:
                slow = ", ".join(p.name for p in waiting if not p.ready.is_set())
                say(f"({slow} not ready after {timeout:.0f} s; printing the sign-ins anyway.)")
                return None
            self.wake.wait(0.1)
        ready_at = time.monotonic()
        while time.monotonic() - max(ready_at, _last_output[0]) < 0.5:
            if time.monotonic() - ready_at > 3:
                break
            time.sleep(0.05)
        return None

    def first_exited(self) -> Process | None:
        return next((p for p in self.processes if not p.running()), None)

    def wait_for_stop_request(self) -> Process | None:
        while not self.stop_requests:
            if exited := self.first_exited():
                return exited
            self.wake.wait(0.2)
        return None

    def stop(self) -> bool:
        """Ask every process to stop; returns False when one had to be killed."""
        started = time.monotonic()
        names = ", ".join(p.name for p in self.processes if p.running())
        if names:
            say(f"\nStopping {names} (press Ctrl-C again to force it)...")
        for process in self.processes:
            if process.running():
                process.signal(
                    STOP_SIGNALS.get(process.name, signal.SIGTERM),
                    group=process.name in STOP_GROUP,
                )
        requests = self.stop_requests
        deadline = started + self.grace
        while any(p.running() for p in self.processes):
            if self.stop_requests > requests or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        clean = True
        forced = self.stop_requests > requests
        for process in self.processes:
            if process.running():
                why = "Ctrl-C again" if forced else f"still running after {self.grace:.0f} s"
                say(f"{process.name} did not stop ({why}): killing it.")
                process.signal(signal.SIGKILL, group=True)
                clean = False
        for process in self.processes:
            process.popen.wait()
            # What the process started (a pool child, the reloader's child) must end with it.
            settle_by = time.monotonic() + 2
            while group_alive(process.popen.pid) and time.monotonic() < settle_by:
                time.sleep(0.05)
            if group_alive(process.popen.pid):
                say(f"{process.name} left processes behind: killing them.")
                process.signal(signal.SIGKILL, group=True)
                clean = False
            if process.reader is not None:
                process.reader.join(timeout=2)
        if clean:
            say(f"Stopped in {time.monotonic() - started:.1f} s.")
        return clean


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", type=Path, default=ROOT / "Procfile")
    parser.add_argument("--banner", type=Path, default=ROOT / "scripts" / "banner.sh")
    parser.add_argument("--grace", type=float, default=30.0, help="seconds to stop (default 30)")
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)

    port = int(os.environ.get("PATCHWISE_PORT") or 8000)  # as in the Procfile and the banner
    if port_open(port):
        say(f"Port {port} is in use (another `make run`?): stop it, or set PATCHWISE_PORT.")
        return 1
    supervisor = Supervisor(read_procfile(args.procfile), grace=args.grace)
    signal.signal(signal.SIGINT, supervisor.on_signal)
    signal.signal(signal.SIGTERM, supervisor.on_signal)
    names = ", ".join(p.name for p in supervisor.processes)
    say(f"Starting {names}; the sign-ins follow once the worker is ready.")
    supervisor.start()

    exited = supervisor.wait_until_ready(timeout=args.ready_timeout)
    if not exited and not supervisor.stop_requests:
        say(banner(args.banner))
        exited = supervisor.wait_for_stop_request()
    if exited:
        say(f"{exited.name} exited (code {exited.popen.returncode}); stopping the others.")
    clean = supervisor.stop()
    return 1 if exited or not clean else 0


if __name__ == "__main__":
    sys.exit(main())
