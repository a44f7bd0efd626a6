"""Find and kill processes by user or by parent, reading /proc directly (the one /proc walker).

Each slot's users run nothing but that slot's sandboxes, so "every process of these uids" is exactly
"everything the learner started", whatever it did to hide (double fork, setsid, new process group).
The real uid from ``/proc/<pid>/status`` is used: a process can make itself non-dumpable, which
changes the owner shown on ``/proc/<pid>`` but not its uid.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    uid: int
    threads: int
    rss_bytes: int
    zombie: bool


def read_status(pid: int) -> ProcInfo | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    uid = threads = rss_kb = -1
    zombie = False
    for line in data.split(b"\n"):
        if line.startswith(b"Uid:"):
            uid = int(line.split()[1])
        elif line.startswith(b"Threads:"):
            threads = int(line.split()[1])
        elif line.startswith(b"VmRSS:"):
            rss_kb = int(line.split()[1])
        elif line.startswith(b"State:"):
            zombie = line.split()[1] in (b"Z", b"X")
    if uid < 0:
        return None
    return ProcInfo(
        pid=pid, uid=uid, threads=max(threads, 1), rss_bytes=max(rss_kb, 0) * 1024, zombie=zombie
    )


def pss_bytes(pid: int) -> int:
    """Proportional set size: resident memory with pages shared by n processes counted 1/n each.

    Slower to read than RSS, so it is only used when the plain RSS sum says a budget is exceeded
    (after ``fork`` a child's RSS counts every page it still shares with its parent).
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def processes_of(uids: Collection[int]) -> list[ProcInfo]:
    """Every live process whose real uid is in ``uids``."""
    wanted = set(uids)
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        info = read_status(int(entry.name))
        if info is not None and info.uid in wanted:
            found.append(info)
    return found


def descendants(roots: Collection[int]) -> list[ProcInfo]:
    """``roots`` and every process below them, following ``/proc/<pid>/task/<tid>/children``.

    Cheap enough to run every few milliseconds (it reads only the sandbox's own processes). Nothing
    in a sandbox can leave the tree: an orphan is adopted by the pid namespace's init, which is a
    child of the outer bubblewrap process we started.
    """
    found: list[ProcInfo] = []
    seen: set[int] = set()
    pending = list(roots)
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        info = read_status(pid)
        if info is None:
            continue
        found.append(info)
        pending.extend(children_of(pid))
    return found


def children_of(pid: int) -> list[int]:
    """The direct children of ``pid`` (of every one of its threads); [] once it is gone."""
    found: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def kill_all(uids: Collection[int], *, timeout: float = 3.0) -> list[int]:
    """SIGKILL every process of ``uids`` until none is left; return the pids that were still
    running.

    Zombies are ignored: they run nothing, and their parent (a sandbox's init, or us) reaps them.
    """
    killed: list[int] = []
    deadline = time.monotonic() + timeout
    while True:
        alive = [info for info in processes_of(uids) if not info.zombie]
        if not alive:
            return killed
        for info in alive:
            try:
                os.kill(info.pid, signal.SIGKILL)
                killed.append(info.pid)
            except ProcessLookupError:
                pass
        if time.monotonic() > deadline:
            return killed
        time.sleep(0.01)
