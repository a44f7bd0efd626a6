"""``grade()``: run a lab's tests against a learner's workspace in the sandbox and reach a verdict.

This module only orchestrates: take a slot, build the job folder, run the app and the test process
side by side (``runner``), read the report (``report``) and hand everything to ``verdict``, which
computes the verdict only from what the engine itself observed and the test process's own report.
Live progress (``on_progress``) is followed by ``progress`` and never feeds the verdict.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from .bundle import LabSpec, load_lab
from .bwrap import check_available
from .checks import not_run_checks
from .config import SandboxConfig
from .errors import SandboxError
from .jobdir import JobDir, WorkspaceTooLarge
from .limits import Limits
from .paths import UnsafePath, safe_relative_path
from .progress import Progress
from .report import REPORT_MAX_BYTES, REPORT_NAME, TestReport
from .results import CheckResult, GradeResult, Verdict
from .runner import app_spec, elapsed_ms, new_flag, run_pair, tests_spec
from .slots import acquire_slot
from .verdict import decide

HIDDEN = "tests/hidden"


def grade(
    *,
    lab: LabSpec | Path | str,
    workspace: Path | str,
    tests: str = HIDDEN,
    limits: Limits | None = None,
    config: SandboxConfig | None = None,
    on_progress: Callable[[tuple[CheckResult, ...]], None] | None = None,
) -> GradeResult:
    """Grade ``workspace`` (the learner's complete app folder) against the lab's ``tests`` folder.

    ``tests`` is ``"tests/hidden"`` (grading: the checks of lab.toml, then the lab's exploit
    scripts as ``exploit:<name>`` security checks) or ``"tests/public"`` (the
    learner's own run: every public test is a check, and the full pytest output comes back).
    ``limits`` are the operator's defaults; the lab's ``[limits]`` apply on top, within their
    ceilings. Raises SandboxUnavailable / SandboxBusy / LabBundleError for problems that are not the
    learner's, and UnsafePath when a folder to copy holds a link or a special file.

    ``on_progress``, when given, is called while the tests run with the checks known so far (the
    same ``CheckResult`` objects the result will carry, a growing tuple), in the calling thread;
    see :class:`~.progress.Progress`. It is informational: the verdict comes only from the
    finished run.
    """
    started = time.monotonic()
    spec = lab if isinstance(lab, LabSpec) else load_lab(lab)
    config = config or SandboxConfig()
    limits = (limits or Limits()).for_lab(spec.wall_seconds, spec.memory_mb)
    suite = tests_folder(spec, tests)
    public = tests.strip("/") != HIDDEN
    workspace = Path(workspace)
    if not workspace.is_dir():
        raise SandboxError(f"workspace {workspace} is not a folder")
    runtime = check_available(config, spec.framework)
    flag = new_flag() if spec.exploit is not None else ""

    with (
        acquire_slot(config) as slot,
        JobDir(slot, disk_mb=limits.disk_mb, private_tmpfs=config.private_tmpfs) as job,
    ):
        try:
            job.copy_in(workspace, job.app, slot.app)
        except WorkspaceTooLarge:
            return GradeResult(
                verdict=Verdict.RESOURCE_LIMIT,
                checks=tuple(not_run_checks(spec, public)),
                duration_ms=elapsed_ms(started),
                reason=f"Your files are larger than the {limits.disk_mb} MB allowed.",
            )
        job.copy_in(suite, job.tests, slot.test, private=True)
        exploits = () if public else spec.exploit_scripts
        for script in exploits:
            data = script.path.read_bytes()
            job.write_private(job.exploit / f"{script.name}.py", data, slot.test)
        progress = (
            None
            if on_progress is None
            else Progress(
                on_progress,
                spec=spec,
                limits=limits,
                public=public,
                path=job.report / REPORT_NAME,
            )
        )
        ready_r, ready_w = os.pipe()
        os.set_blocking(ready_r, False)
        try:
            run = run_pair(
                config=config,
                app=app_spec(
                    spec=spec,
                    slot=slot,
                    job=job,
                    limits=limits,
                    runtime=runtime,
                    flag=flag,
                    ready_fd=ready_w,
                ),
                client=tests_spec(
                    slot=slot,
                    job=job,
                    limits=limits,
                    runtime=runtime,
                    flag=flag,
                    show_messages=public,
                    exploits=tuple(script.name for script in exploits),
                ),
                slot=slot,
                limits=limits,
                ready_r=ready_r,
                ready_w=ready_w,
                client_is_learner=False,
                on_tick=None if progress is None else progress.tick,
            )
            report = TestReport.parse(job.read_report(REPORT_NAME, REPORT_MAX_BYTES))
        finally:
            if progress is not None:
                progress.close()
    if progress is not None:
        progress.finish(report)
    return decide(spec, run, report, limits, public=public, started=started)


def tests_folder(spec: LabSpec, tests: str) -> Path:
    """The bundle's folder ``tests`` names: ``tests/...`` inside the bundle, never outside it."""
    try:
        relative = safe_relative_path(tests.strip("/"))
    except UnsafePath:
        relative = None
    if relative is None or relative.parts[:1] != ("tests",):
        raise SandboxError(f"tests must be a folder under the bundle's tests/, not {tests!r}")
    folder = spec.root.joinpath(*relative.parts)
    if not folder.is_dir():
        raise SandboxError(f"{folder} does not exist")
    return folder
