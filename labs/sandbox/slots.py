"""Grading slots: one exclusive pair of unprivileged users (and one job folder) per concurrent run.

RLIMIT_NPROC counts every process of a user across the machine, so two gradings sharing a user would
share (and could exhaust) one process budget; a slot per grading keeps them apart. Slots are taken
with ``flock`` on a lock file named after the slot's user (``/run/lock/patchwise-sandbox/``), so any
number of worker processes on the machine can share them safely, and a lock dies with the process
holding it.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import random
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .config import SandboxConfig
from .errors import SandboxBusy, SandboxUnavailable
from .procs import kill_all


@dataclass(frozen=True)
class Identity:
    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class Slot:
    index: int
    #: Runs the learner's app.
    app: Identity
    #: Runs the grader's tests, or the learner's exploit script. Never the app.
    test: Identity
    #: Private to this slot; wiped at the start of every run.
    job_dir: Path

    @property
    def uids(self) -> tuple[int, int]:
        return (self.app.uid, self.test.uid)


def identity(name: str) -> Identity:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise SandboxUnavailable(
            f"sandbox user {name} does not exist: run `python -m labs.sandbox.provision` as root"
        ) from None
    if entry.pw_uid == 0 or entry.pw_gid == 0:
        raise SandboxUnavailable(f"sandbox user {name} must not be root")
    return Identity(name=name, uid=entry.pw_uid, gid=entry.pw_gid)


def slot_identities(config: SandboxConfig, index: int) -> tuple[Identity, Identity]:
    app_name, test_name = config.user_names(index)
    return identity(app_name), identity(test_name)


@contextmanager
def acquire_slot(config: SandboxConfig) -> Iterator[Slot]:
    """Hold a free slot for the duration of the ``with`` block.

    On entry every process of the slot's users is killed: a previous holder that crashed cannot
    leave anything behind for the next learner. (Each run kills its own processes when it ends.)
    """
    if config.slots < 1:
        raise SandboxUnavailable("no sandbox slots configured")
    locks = config.effective_lock_dir
    locks.mkdir(mode=0o700, parents=True, exist_ok=True)
    # /run/lock is world-writable: make sure nobody else planted this folder (or a symlink) first.
    info = os.lstat(locks)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise SandboxUnavailable(f"{locks} is not a folder owned by the grader's user")
    os.chmod(locks, 0o700)
    deadline = time.monotonic() + config.slot_wait_seconds
    order = list(range(config.slots))
    # Start at a random slot so that concurrent workers do not all contend for slot 0.
    shift = random.randrange(config.slots)  # noqa: S311 - load spreading, not security
    order = order[shift:] + order[:shift]
    while True:
        for index in order:
            # Named after the slot's user: whoever uses these users takes this lock.
            lock = locks / f"{config.user_names(index)[0]}.lock"
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            try:
                app, test = slot_identities(config, index)
                slot = Slot(
                    index=index, app=app, test=test, job_dir=config.work_dir / f"slot{index}"
                )
                kill_all(slot.uids)
                yield slot
                return
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        if time.monotonic() > deadline:
            raise SandboxBusy(
                f"all {config.slots} sandbox slots stayed busy for {config.slot_wait_seconds:.0f}s"
            )
        time.sleep(0.05)
