"""Which limit ended a run, and how to say so to a learner.

A limit shows up in three ways: the supervisor saw it (a :class:`~.limits.LimitHit`), the process
died of the signal a rlimit sends (``SIGXCPU``, ``SIGXFSZ``), or Python raised the error a rlimit
causes and the traceback's last line names it. Grading and exploit runs both read them here.
"""

from __future__ import annotations

import signal

from .limits import MIB, LimitHit, LimitKind, Limits

#: The exception that ended the app's start-up, when it names a limit (Python's own messages). Only
#: the last line of the traceback is read: text printed earlier proves nothing.
STDERR_MARKERS: tuple[tuple[LimitKind, tuple[str, ...]], ...] = (
    (LimitKind.MEMORY, ("MemoryError", "[Errno 12]")),
    (LimitKind.PROCESSES, ("[Errno 11]", "can't start new thread")),
    (LimitKind.FILE_SIZE, ("[Errno 27]",)),
    (LimitKind.DISK, ("[Errno 28]", "[Errno 122]")),
    (LimitKind.OPEN_FILES, ("[Errno 24]",)),
)


def limit_reason(hit: LimitHit, limits: Limits) -> str:
    """One sentence a learner understands, naming the limit."""
    if hit.who == "tests":
        if hit.kind == LimitKind.OUTPUT:
            return "Your app's responses made the checks print more output than allowed."
        return "Your app's responses were too large for the checks to handle."
    subject = "Your app" if hit.who == "app" else "Your exploit script"
    kill_mb = max(1, limits.output_kill_bytes // MIB)
    cpu_seconds, file_mb = limits.effective_cpu_seconds, limits.file_size_mb
    return {
        LimitKind.MEMORY: f"{subject} used more than {limits.memory_mb} MB of memory.",
        LimitKind.PROCESSES: (
            f"{subject} started more than {limits.processes} processes or threads."
        ),
        LimitKind.OUTPUT: f"{subject} printed more than {kill_mb} MB of output.",
        LimitKind.FILE_SIZE: f"{subject} tried to write a file larger than {file_mb} MB.",
        LimitKind.DISK: f"{subject} filled its {limits.disk_mb} MB of disk space.",
        LimitKind.OPEN_FILES: f"{subject} opened more than {limits.open_files} files at once.",
        LimitKind.CPU: f"{subject} used more than {cpu_seconds} seconds of CPU time.",
    }.get(hit.kind, f"{subject} went over a resource limit.")


def stderr_limit(text: str, who: str) -> LimitHit | None:
    """The limit named by a traceback's last line (``MemoryError``, ``OSError: [Errno 27] ...``)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    last = lines[-1]
    for kind, markers in STDERR_MARKERS:
        if any(marker in last for marker in markers):
            return LimitHit(kind, who, last[:200])
    return None


def signal_limit(exit_code: int | None, who: str) -> LimitHit | None:
    """bubblewrap exits with 128 + N when the command died of signal N."""
    if exit_code is None or exit_code <= 128:
        return None
    signum = exit_code - 128
    if signum == signal.SIGXCPU:
        return LimitHit(LimitKind.CPU, who, "SIGXCPU")
    if signum == signal.SIGXFSZ:
        return LimitHit(LimitKind.FILE_SIZE, who, "SIGXFSZ")
    return None
