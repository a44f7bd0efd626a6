"""Start the learner's app and a client (the grader's tests or the learner's exploit) side by side.

Both sandboxes start at once: the app's import and the test process's pytest start-up overlap, and
the client waits on the app's socket. They share only the socket folder: the app never sees the
tests, the report or the exploit, and the client sees the app's workspace read-only (tests) or not
at all (exploit script).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .bundle import LabSpec
from .bwrap import (
    APP_MOUNT,
    EXPLOIT_MOUNT,
    INSIDE_MOUNT,
    PYTHON,
    REPORT_MOUNT,
    RUN_MOUNT,
    SANDBOX_TMP,
    SOCKET_PATH,
    TESTS_MOUNT,
    Mount,
    SandboxSpec,
    base_env,
    spawn,
)
from .config import SandboxConfig
from .jobdir import JobDir
from .limits import MIB, Limits
from .monitor import Budget, ResourceMonitor
from .process import RunningSandbox
from .report import REPORT_NAME
from .slots import Slot
from .supervise import RunSummary, finish, supervise


def new_flag() -> str:
    """A fresh secret for the app's ``[exploit].flag_env``: only the engine and the app know it."""
    return f"FLAG{{{secrets.token_hex(16)}}}"


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started`` (``time.monotonic()``)."""
    return round((time.monotonic() - started) * 1000)


@dataclass
class PairRun:
    summary: RunSummary
    app: RunningSandbox
    client: RunningSandbox
    monitor: ResourceMonitor
    elapsed_ms: int
    #: CLOCK_MONOTONIC when the sandboxes were started
    started: float
    slot: Slot


def app_spec(
    *,
    spec: LabSpec,
    slot: Slot,
    job: JobDir,
    limits: Limits,
    runtime: Path,
    flag: str,
    ready_fd: int,
) -> SandboxSpec:
    env = base_env(slot.app)
    env.update(spec.env)
    if spec.exploit is not None and flag:
        env[spec.exploit.flag_env] = flag
    env.update(
        {
            "PATCHWISE_ENTRYPOINT": spec.entrypoint,
            "PATCHWISE_INTERFACE": spec.interface,
            "PATCHWISE_SOCKET": SOCKET_PATH,
            "PATCHWISE_READY_FD": str(ready_fd),
            "PATCHWISE_WORKER_TIMEOUT": str(max(1, int(limits.wall_seconds))),
        }
    )
    return SandboxSpec(
        name="app",
        identity=slot.app,
        argv=[PYTHON, "-I", "-B", "-u", f"{INSIDE_MOUNT}/serve.py"],
        env=env,
        mounts=[Mount(job.app, APP_MOUNT, writable=True), Mount(job.run, RUN_MOUNT, writable=True)],
        chdir=APP_MOUNT,
        rlimits=limits.app_rlimits(),
        tmp_bytes=limits.tmp_mb * MIB,
        etc_dir=job.etc,
        runtime=runtime,
        pass_fds=(ready_fd,),
    )


def tests_spec(
    *,
    slot: Slot,
    job: JobDir,
    limits: Limits,
    runtime: Path,
    flag: str,
    show_messages: bool,
    exploits: tuple[str, ...] = (),
) -> SandboxSpec:
    """The grader's pytest process; ``exploits`` names the scripts in ``job.exploit`` that run as
    checks after the tests (hidden runs), within what is left of the wall clock."""
    env = base_env(slot.test)
    env.update(
        {
            "PATCHWISE_APP_SOCKET": SOCKET_PATH,
            "PATCHWISE_APP_DIR": APP_MOUNT,
            "PATCHWISE_TESTS_DIR": TESTS_MOUNT,
            "PATCHWISE_REPORT": f"{REPORT_MOUNT}/{REPORT_NAME}",
            "PATCHWISE_READY_TIMEOUT": str(limits.wall_seconds),
            "PATCHWISE_REQUEST_TIMEOUT": str(limits.request_timeout_seconds),
            "PATCHWISE_SHOW_MESSAGES": "1" if show_messages else "0",
            "PATCHWISE_LAB_FLAG": flag,
            "PATCHWISE_EXPLOITS": ",".join(exploits),
            "PATCHWISE_EXPLOIT_DIR": EXPLOIT_MOUNT,
            "PATCHWISE_EXPLOIT_SECONDS": str(exploit_seconds(limits)),
            # The sandboxes start right after this: a deadline a little early, never late.
            "PATCHWISE_DEADLINE": repr(time.monotonic() + limits.wall_seconds),
        }
    )
    mounts = [
        Mount(job.tests, TESTS_MOUNT),
        Mount(job.report, REPORT_MOUNT, writable=True),
        Mount(job.app, APP_MOUNT),
        Mount(job.run, RUN_MOUNT),
    ]
    if exploits:
        # The test user's folder: the app's sandbox never mounts it.
        mounts.append(Mount(job.exploit, EXPLOIT_MOUNT))
    return SandboxSpec(
        name="tests",
        identity=slot.test,
        argv=[PYTHON, "-I", "-B", "-u", f"{INSIDE_MOUNT}/run_tests.py"],
        env=env,
        mounts=mounts,
        chdir=TESTS_MOUNT,
        rlimits=limits.test_rlimits(),
        tmp_bytes=limits.tmp_mb * MIB,
        etc_dir=job.etc,
        runtime=runtime,
    )


def exploit_seconds(limits: Limits) -> float:
    """The most one exploit check may take: two requests' worth, and never half the run."""
    return min(2 * limits.request_timeout_seconds, limits.wall_seconds / 2)


def script_spec(
    *, slot: Slot, job: JobDir, limits: Limits, runtime: Path, mode: str
) -> SandboxSpec:
    env = base_env(slot.test)
    env.update(
        {
            "PATCHWISE_APP_SOCKET": SOCKET_PATH,
            "PATCHWISE_REPORT": f"{REPORT_MOUNT}/exchanges.jsonl",
            "PATCHWISE_EXPLOIT_MODE": mode,
            "PATCHWISE_EXPLOIT_DIR": EXPLOIT_MOUNT,
            "PATCHWISE_READY_TIMEOUT": str(limits.wall_seconds),
            "PATCHWISE_REQUEST_TIMEOUT": str(limits.request_timeout_seconds),
        }
    )
    return SandboxSpec(
        name="script",
        identity=slot.test,
        argv=[PYTHON, "-I", "-B", "-u", f"{INSIDE_MOUNT}/run_exploit.py"],
        env=env,
        # No app workspace here: the script may learn the flag only from the app's responses.
        mounts=[
            Mount(job.exploit, EXPLOIT_MOUNT),
            Mount(job.report, REPORT_MOUNT, writable=True),
            Mount(job.run, RUN_MOUNT),
        ],
        chdir=SANDBOX_TMP,
        # Learner code: the learner's limits.
        rlimits=limits.app_rlimits(),
        tmp_bytes=limits.tmp_mb * MIB,
        etc_dir=job.etc,
        runtime=runtime,
    )


def budgets(slot: Slot, limits: Limits, *, client_is_learner: bool) -> dict[int, Budget]:
    app = Budget(
        who="app",
        max_tasks=limits.processes,
        max_rss_process=limits.memory_mb * MIB,
        max_rss_total=limits.effective_total_memory_mb * MIB,
    )
    if client_is_learner:
        client = Budget(
            "script",
            limits.processes,
            limits.memory_mb * MIB,
            limits.effective_total_memory_mb * MIB,
        )
    else:
        client = Budget(
            "tests",
            limits.test_processes,
            limits.test_memory_mb * MIB,
            2 * limits.test_memory_mb * MIB,
        )
    return {slot.app.uid: app, slot.test.uid: client}


def run_pair(
    *,
    config: SandboxConfig,
    app: SandboxSpec,
    client: SandboxSpec,
    slot: Slot,
    limits: Limits,
    ready_r: int,
    ready_w: int,
    client_is_learner: bool,
    stop_when_app_exits: bool = True,
    on_tick: Callable[[float], None] | None = None,
) -> PairRun:
    """Start both sandboxes, supervise them, kill everything; the caller reads the report
    afterwards (``on_tick``: see :func:`supervise`)."""
    started = time.monotonic()
    deadline = started + limits.wall_seconds
    monitor = ResourceMonitor(budgets(slot, limits, client_is_learner=client_is_learner))
    procs: list[RunningSandbox] = []
    try:
        app_proc = spawn(config, app, keep_bytes=limits.output_keep_bytes)
        procs.append(app_proc)
        os.close(ready_w)
        ready_w = -1
        client_proc = spawn(config, client, keep_bytes=limits.output_keep_bytes)
        procs.append(client_proc)
        summary = supervise(
            app_proc,
            client_proc,
            ready_r,
            deadline=deadline,
            monitor=monitor,
            output_kill_bytes=limits.output_kill_bytes,
            stop_when_app_exits=stop_when_app_exits,
            on_tick=on_tick,
        )
    finally:
        if ready_w >= 0:
            os.close(ready_w)
        os.close(ready_r)
        finish(procs, slot.uids)
    return PairRun(
        summary=summary,
        app=app_proc,
        client=client_proc,
        monitor=monitor,
        elapsed_ms=elapsed_ms(started),
        started=started,
        slot=slot,
    )
