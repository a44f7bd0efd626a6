"""Read the test process's report while it is still being written (live progress of a grading).

The report folder belongs to the test user alone (the app cannot see it), so what it holds is
trusted as much as the final parse trusts it; this reader only adds what a file that is still
growing needs: complete lines only, and never more than ``max_bytes`` in all.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ReportTail:
    """Follow a file another process appends to: :meth:`read` returns the new complete lines."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.fd: int | None = None
        #: Bytes read so far (the cap counts these, whether or not their line is complete yet).
        self.consumed = 0
        self.partial = b""
        self.closed = False

    def read(self) -> str:
        """The complete lines written since the last call, "" when there are none (yet)."""
        if self.closed or self.consumed >= self.max_bytes:
            return ""
        fd = self.fd if self.fd is not None else self._open()
        if fd is None:
            return ""
        chunks = [self.partial]
        while self.consumed < self.max_bytes:
            chunk = os.read(fd, min(self.max_bytes - self.consumed, 1 << 16))
            if not chunk:
                break
            self.consumed += len(chunk)
            chunks.append(chunk)
        data = b"".join(chunks)
        end = data.rfind(b"\n") + 1
        self.partial = data[end:]
        # A line ends at b"\n", which is never part of a multi-byte UTF-8 character.
        return data[:end].decode("utf-8", "replace")

    def _open(self) -> int | None:
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except OSError:
            return None  # not created yet
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            self.closed = True
            return None
        self.fd = fd
        return fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self.closed = True
