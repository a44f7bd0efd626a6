"""A started sandbox: its outer bubblewrap process, its captured output, and how to kill it.

``bwrap.spawn`` starts one; the supervision loop feeds its output pipes into :class:`StreamCapture`
(head and tail kept, everything counted) and kills it when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .procs import children_of

if TYPE_CHECKING:
    from .bwrap import SandboxSpec

#: How much of the end of a stream is kept beyond its head.
TAIL_BYTES = 8 * 1024


@dataclass
class StreamCapture:
    """Keep the head (and a short tail) of an output stream; count everything."""

    keep: int
    head: bytearray = field(default_factory=bytearray)
    tail: bytearray = field(default_factory=bytearray)
    total: int = 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        room = self.keep - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            if len(self.tail) > TAIL_BYTES:
                del self.tail[: len(self.tail) - TAIL_BYTES]

    def text(self) -> str:
        head = self.head.decode("utf-8", "replace")
        if not self.tail:
            return head
        omitted = self.total - len(self.head) - len(self.tail)
        marker = f"\n[... {omitted} bytes omitted ...]\n" if omitted > 0 else ""
        return head + marker + self.tail.decode("utf-8", "replace")

    def raw(self) -> bytes:
        return bytes(self.head + self.tail)


class RunningSandbox:
    """A started sandbox: its outer bubblewrap process, output pipes and an exit notification fd."""

    def __init__(self, spec: SandboxSpec, popen: subprocess.Popen[bytes], keep: int) -> None:
        self.spec = spec
        self.name = spec.name
        self.popen = popen
        self.pidfd = os.pidfd_open(popen.pid)
        self.stdout = StreamCapture(keep)
        self.stderr = StreamCapture(keep)
        self.exit_code: int | None = None
        self.killed = False

    def poll(self) -> int | None:
        if self.exit_code is None:
            self.exit_code = self.popen.poll()
        return self.exit_code

    def kill(self) -> None:
        """Kill the sandbox: its pid 1 first, which takes the whole pid namespace with it.

        The outer bubblewrap process then reaps that pid 1 and exits; killing the outer process
        first would orphan pid 1 to the machine's init as a zombie of the slot user (it counts
        towards that user's RLIMIT_NPROC until reaped).
        """
        if self.popen.returncode is not None:
            return
        self.killed = True
        for child in children_of(self.popen.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        try:
            self.popen.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        self.poll()

    def close(self) -> None:
        for handle in (self.popen.stdout, self.popen.stderr):
            if handle is not None:
                handle.close()
        os.close(self.pidfd)
