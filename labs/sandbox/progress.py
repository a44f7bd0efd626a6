"""Live progress of a grading: follow the test report while it is written, tell ``on_progress``.

The report folder belongs to the test user alone (the app cannot see it), so what it holds is
trusted as much as the final parse trusts it; :class:`ReportTail` only adds what a file that is
still growing needs: complete lines only, and never more than ``max_bytes`` in all.
:class:`Progress` turns those lines into the checks known so far. Progress is informational only:
the verdict never reads it.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

from .bundle import LabSpec
from .checks import known_checks
from .limits import Limits
from .report import REPORT_MAX_BYTES, TestReport
from .results import CheckResult

logger = logging.getLogger(__name__)

#: At most one ``on_progress`` call per this many seconds, and the most time the callback may take
#: in all during one run before it is not called any more.
PROGRESS_SECONDS = 0.25
PROGRESS_BUDGET_SECONDS = 2.0


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


class Progress:
    """Follow the report during a run and tell ``on_progress`` the checks known so far.

    Purely informational: it never touches what the verdict is computed from. The supervision loop
    calls :meth:`tick` on its sampling tick; ``on_progress`` is called when new checks are known,
    at most every ``PROGRESS_SECONDS`` (later ones wait for the next tick past that), and once more
    after the run with what the complete report adds. An exception in ``on_progress`` is logged and
    grading goes on; a callback that takes more than ``PROGRESS_BUDGET_SECONDS`` in all is not
    called again during this run.
    """

    def __init__(
        self,
        on_progress: Callable[[tuple[CheckResult, ...]], None],
        *,
        spec: LabSpec,
        limits: Limits,
        public: bool,
        path: Path,
    ) -> None:
        self.on_progress = on_progress
        self.spec = spec
        self.limits = limits
        self.public = public
        self.tail = ReportTail(path, REPORT_MAX_BYTES)
        self.report = TestReport()
        self.delivered: tuple[CheckResult, ...] = ()
        self.pending: tuple[CheckResult, ...] | None = None
        self.last_call = float("-inf")
        self.spent = 0.0
        self.enabled = True

    def tick(self, now: float) -> None:
        if not self.enabled:
            return
        try:
            text = self.tail.read()
            if text:
                self.report.feed(text)
                known = known_checks(self.spec, self.report, self.limits, public=self.public)
                if len(known) > len(self.delivered):
                    self.pending = known
        except Exception:
            logger.exception("live progress stopped: the report could not be followed")
            self.enabled = False
            return
        if self.pending is not None and now - self.last_call >= PROGRESS_SECONDS:
            self._deliver(self.pending, now)

    def close(self) -> None:
        self.tail.close()

    def finish(self, report: TestReport) -> None:
        """After the run (slot released): deliver what the complete report adds."""
        if not self.enabled:
            return
        try:
            known = known_checks(self.spec, report, self.limits, public=self.public)
        except Exception:
            logger.exception("live progress: the final report could not be read for progress")
            return
        if len(known) > len(self.delivered):
            self._deliver(known, time.monotonic())

    def _deliver(self, checks: tuple[CheckResult, ...], now: float) -> None:
        self.pending = None
        self.delivered = checks
        self.last_call = now
        started = time.monotonic()
        try:
            self.on_progress(checks)
        except Exception:
            logger.exception("on_progress raised; grading goes on")
        self.spent += time.monotonic() - started
        if self.spent > PROGRESS_BUDGET_SECONDS:
            logger.warning(
                "on_progress took %.1f s in all: no more progress for this run", self.spent
            )
            self.enabled = False
