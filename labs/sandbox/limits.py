"""Resource limits of one grading or exploit run, and what going over one looks like.

The defaults are the operator's (Django settings pass their own :class:`Limits`); a lab's
``[limits]`` table may then change ``wall_seconds`` and ``memory_mb`` within the operator's
ceilings. A run that goes over a limit ends with a :class:`LimitHit` naming it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

MIB = 1024 * 1024


class LimitKind(StrEnum):
    """Which limit a run went over."""

    MEMORY = "memory"
    PROCESSES = "processes"
    OUTPUT = "output"
    FILE_SIZE = "file_size"
    DISK = "disk"
    OPEN_FILES = "open_files"
    CPU = "cpu"


@dataclass(frozen=True)
class LimitHit:
    """A limit the run went over, and whose process (``app``, ``tests`` or ``script``) did."""

    kind: LimitKind
    who: str
    detail: str = ""


@dataclass(frozen=True)
class Limits:
    """Limits applied to the learner's processes (and, more loosely, to the grader's test
    process)."""

    #: Whole run, from the first process started to the verdict.
    wall_seconds: float = 20.0
    #: Per process, resident memory. Enforced by sampling RSS and, as a hard backstop, by RLIMIT_AS
    #: at ``memory_mb + address_space_headroom_mb`` (virtual size runs well above RSS for Python).
    memory_mb: int = 256
    address_space_headroom_mb: int = 768
    #: Sum of the resident memory of all the learner's processes (gunicorn runs two).
    total_memory_mb: int | None = None
    #: CPU seconds per process (RLIMIT_CPU); None means ``wall_seconds`` rounded up.
    cpu_seconds: int | None = None
    #: Tasks (processes and threads) of the learner's user: RLIMIT_NPROC and a sampled count.
    processes: int = 64
    file_size_mb: int = 16
    open_files: int = 256
    #: Size of the job's private filesystem (workspace copy, tests, report, socket).
    disk_mb: int = 128
    #: Size of each sandbox's private /tmp.
    tmp_mb: int = 32
    #: Per stream: what we keep for display, and the size at which we stop the run.
    output_keep_bytes: int = 64 * 1024
    output_kill_bytes: int = 1 * MIB
    #: One HTTP request from a test (or exploit script) to the app.
    request_timeout_seconds: float = 5.0
    #: The grader's own pytest process (trusted code, but it reads the app's responses).
    test_memory_mb: int = 1024
    test_processes: int = 64
    #: Ceilings on what a lab's ``[limits]`` table may ask for.
    max_wall_seconds: float = 120.0
    max_memory_mb: int = 1024

    def for_lab(self, wall_seconds: float | None, memory_mb: int | None) -> Limits:
        """These limits with a lab's own ``[limits]`` applied, clamped to the operator's
        ceilings."""
        changes: dict[str, float | int] = {}
        if wall_seconds is not None:
            changes["wall_seconds"] = min(float(wall_seconds), self.max_wall_seconds)
        if memory_mb is not None:
            changes["memory_mb"] = min(int(memory_mb), self.max_memory_mb)
        return replace(self, **changes) if changes else self

    @property
    def effective_cpu_seconds(self) -> int:
        return (
            self.cpu_seconds
            if self.cpu_seconds is not None
            else max(1, math.ceil(self.wall_seconds))
        )

    @property
    def effective_total_memory_mb(self) -> int:
        return self.total_memory_mb if self.total_memory_mb is not None else 2 * self.memory_mb

    def app_rlimits(self) -> RLimits:
        return RLimits(
            address_space=(self.memory_mb + self.address_space_headroom_mb) * MIB,
            processes=self.processes,
            cpu_seconds=self.effective_cpu_seconds,
            file_size=self.file_size_mb * MIB,
            open_files=self.open_files,
        )

    def test_rlimits(self) -> RLimits:
        return RLimits(
            address_space=(self.test_memory_mb + self.address_space_headroom_mb) * MIB,
            processes=self.test_processes,
            cpu_seconds=self.effective_cpu_seconds,
            file_size=self.file_size_mb * MIB,
            open_files=max(self.open_files, 256),
        )


@dataclass(frozen=True)
class RLimits:
    """setrlimit values for one sandbox, applied (soft = hard) before bubblewrap starts."""

    address_space: int
    processes: int
    cpu_seconds: int
    file_size: int
    open_files: int

    def prlimit_args(self) -> list[str]:
        return [
            f"--as={self.address_space}",
            f"--nproc={self.processes}",
            # Soft limit sends SIGXCPU, the hard one a second later SIGKILL.
            f"--cpu={self.cpu_seconds}:{self.cpu_seconds + 1}",
            f"--fsize={self.file_size}",
            f"--nofile={self.open_files}",
            "--core=0",
            "--memlock=0",
            "--msgqueue=0",
        ]
