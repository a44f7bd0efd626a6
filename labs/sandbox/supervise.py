"""Watch an app sandbox and its client sandbox (tests or exploit script) until the client is done.

One thread, one ``select`` loop over both sandboxes' output pipes, their exit (pidfds), the app's
"ready" pipe and a resource sampler. The loop stops at the first of: the client finished, the app
died before it was ready, the wall clock ran out, an output stream passed its cap, or a user went
over its process or memory budget. The caller then kills everything (see :func:`finish`).
"""

from __future__ import annotations

import os
import selectors
import time
from collections.abc import Callable
from dataclasses import dataclass

from .limits import LimitHit, LimitKind
from .monitor import ResourceMonitor
from .process import RunningSandbox
from .procs import kill_all

#: How often the sandboxes' processes are sampled for counts and memory (well under a millisecond).
SAMPLE_SECONDS = 0.05
#: After the client exits, how long we wait for the rest of its output.
DRAIN_SECONDS = 0.5


@dataclass
class RunSummary:
    #: The launcher inside the app sandbox ran (so bubblewrap set the sandbox up).
    app_started: bool = False
    app_ready: bool = False
    ready_ms: int | None = None
    #: The app's outer process ended before the client did.
    app_exited: bool = False
    app_exit_code: int | None = None
    client_exit_code: int | None = None
    timed_out: bool = False
    limit: LimitHit | None = None


def supervise(
    app: RunningSandbox,
    client: RunningSandbox,
    ready_fd: int,
    *,
    deadline: float,
    monitor: ResourceMonitor,
    output_kill_bytes: int,
    stop_when_app_exits: bool = True,
    on_tick: Callable[[float], None] | None = None,
) -> RunSummary:
    """Run the loop until the client is done or a limit ends the run (see the module docstring).

    ``on_tick(now)``, when given, runs on every sampling tick (live progress: it reads the report).
    It must not raise. The time it takes is added to the deadline, so that our own work (a slow
    progress callback) never turns into a timeout for the learner.
    """
    summary = RunSummary()
    started = time.monotonic()
    monitor.roots = [app.popen.pid, client.popen.pid]
    selector = selectors.DefaultSelector()
    client_pipes = 0
    for proc in (app, client):
        for name in ("stdout", "stderr"):
            stream = getattr(proc.popen, name)
            selector.register(stream, selectors.EVENT_READ, (proc, name))
            if proc is client:
                client_pipes += 1
        selector.register(proc.pidfd, selectors.EVENT_READ, (proc, "exit"))
    selector.register(ready_fd, selectors.EVENT_READ, (app, "ready"))

    def read_ready() -> None:
        try:
            data = os.read(ready_fd, 16)
        except BlockingIOError:
            return
        # The launcher writes "S" when it starts (before any learner code) and "R" when ready.
        if b"S" in data:
            summary.app_started = True
        if b"R" in data and not summary.app_ready:
            summary.app_ready = True
            summary.ready_ms = round((time.monotonic() - started) * 1000)
        if not data or summary.app_ready:
            selector.unregister(ready_fd)

    client_done_at: float | None = None
    next_sample = started
    try:
        while True:
            now = time.monotonic()
            if client_done_at is not None and (
                client_pipes == 0 or now - client_done_at > DRAIN_SECONDS
            ):
                return summary
            if now >= deadline:
                summary.timed_out = True
                return summary
            if now >= next_sample:
                hit = monitor.sample()
                if hit is not None:
                    summary.limit = hit
                    return summary
                if on_tick is not None:
                    tick_started = time.monotonic()
                    on_tick(tick_started)
                    deadline += time.monotonic() - tick_started
                next_sample = now + SAMPLE_SECONDS
            wake = min(deadline, next_sample)
            if client_done_at is not None:
                wake = min(wake, client_done_at + DRAIN_SECONDS)
            for key, _ in selector.select(max(0.0, wake - now)):
                proc, what = key.data
                if what == "ready":
                    if ready_fd in selector.get_map():
                        read_ready()
                elif what == "exit":
                    selector.unregister(key.fileobj)
                    code = proc.popen.wait()
                    proc.poll()
                    if proc is app:
                        summary.app_exited = True
                        summary.app_exit_code = code
                        if ready_fd in selector.get_map():
                            read_ready()
                        # An app that is gone cannot be checked any more (grading); an exploit
                        # script may go on (it may have crashed the app on purpose).
                        if stop_when_app_exits or not summary.app_ready:
                            return summary
                    else:
                        summary.client_exit_code = code
                        client_done_at = time.monotonic()
                else:
                    try:
                        data = os.read(key.fd, 65536)
                    except BlockingIOError:
                        continue
                    if not data:
                        selector.unregister(key.fileobj)
                        if proc is client:
                            client_pipes -= 1
                        continue
                    capture = getattr(proc, what)
                    capture.feed(data)
                    if capture.total > output_kill_bytes:
                        summary.limit = LimitHit(
                            LimitKind.OUTPUT, proc.name, f"{what} over {output_kill_bytes} bytes"
                        )
                        return summary
    finally:
        if ready_fd in selector.get_map():
            read_ready()
        selector.close()


def finish(procs: list[RunningSandbox], uids: tuple[int, ...]) -> None:
    """Kill every sandbox and every process of the slot's users, then collect the last output."""
    for proc in procs:
        proc.kill()
    kill_all(uids)
    selector = selectors.DefaultSelector()
    for proc in procs:
        for name in ("stdout", "stderr"):
            stream = getattr(proc.popen, name)
            if stream is not None and not stream.closed:
                selector.register(stream, selectors.EVENT_READ, (proc, name))
    deadline = time.monotonic() + DRAIN_SECONDS
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(max(0.0, deadline - time.monotonic())):
            proc, what = key.data
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if not data:
                selector.unregister(key.fileobj)
            else:
                getattr(proc, what).feed(data)
    selector.close()
    for proc in procs:
        proc.close()
