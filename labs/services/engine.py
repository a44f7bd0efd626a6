"""The one door from the labs services to the sandbox engine (``labs.sandbox``).

Everything the Django side needs from the engine passes here: the configuration built from
settings, the three calls (``grade``, ``run_exploit``, ``load_lab``), the path rule for names that
come from bundles and learners, and the engine's result and error types under local names. No
other module of the services package imports ``labs.sandbox``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from labs import sandbox

# The engine's types and errors, as the rest of the package names them.
SandboxError = sandbox.SandboxError
LabBundleError = sandbox.LabBundleError
UnsafePath = sandbox.UnsafePath
safe_relative_path = sandbox.safe_relative_path
copy_tree = sandbox.copy_tree
LabSpec = sandbox.LabSpec
GradeResult = sandbox.GradeResult
EngineCheck = sandbox.CheckResult
ExploitResult = sandbox.ExploitResult
ExploitStatus = sandbox.ExploitStatus

#: Exploit checks' test ids start with this (``exploit:solve``, ``exploit:<variant>``).
EXPLOIT_CHECK_PREFIX = sandbox.EXPLOIT_CHECK_PREFIX

HIDDEN_TESTS = "tests/hidden"
PUBLIC_TESTS = "tests/public"


@functools.cache
def fingerprint() -> str:
    """A digest of the engine's code, the validation rules and the runtimes' pinned packages: a
    validation report can be reused only for the same bundle checked by the same of all three."""
    digest = hashlib.sha256()
    package = Path(sandbox.__file__).resolve().parent
    files = sorted(package.rglob("*.py"))
    files += sorted((package.parent / "runtimes").glob("*.txt"))
    files.append(Path(__file__).resolve().with_name("validation.py"))
    for path in files:
        digest.update(str(path.relative_to(package.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _folder(value: object) -> Path | None:
    """A configured folder, or None to let the engine use its own default."""
    return None if value is None or value == "" else Path(str(value))


def sandbox_config() -> sandbox.SandboxConfig:
    return sandbox.SandboxConfig(
        runtimes_dir=_folder(getattr(settings, "SANDBOX_RUNTIMES_DIR", None)),
        work_dir=_folder(getattr(settings, "SANDBOX_WORK_DIR", None)),
        slots=settings.SANDBOX_SLOTS,
    )


def sandbox_limits() -> sandbox.Limits:
    return sandbox.Limits(
        wall_seconds=float(settings.SANDBOX_WALL_SECONDS),
        memory_mb=settings.SANDBOX_MEMORY_MB,
        processes=settings.SANDBOX_PROCESSES,
        file_size_mb=settings.SANDBOX_FILE_SIZE_MB,
    )


def load_lab(bundle_dir: Path) -> LabSpec:
    """The bundle's lab.toml, checked by the loader grading itself uses."""
    return sandbox.load_lab(bundle_dir)


def grade(
    *,
    lab: LabSpec | Path,
    workspace: Path,
    tests: str = HIDDEN_TESTS,
    on_progress: Callable[[tuple[EngineCheck, ...]], None] | None = None,
) -> GradeResult:
    """Run the lab's hidden (or public) tests against a workspace, with the configured limits."""
    return sandbox.grade(
        lab=lab,
        workspace=workspace,
        tests=tests,
        limits=sandbox_limits(),
        config=sandbox_config(),
        on_progress=on_progress,
    )


def run_exploit(
    *, lab: LabSpec | Path, workspace: Path, script: str | None = None, request: dict | None = None
) -> ExploitResult:
    """Run a script, or one HTTP request (as stored: method, path, headers, body), against a fresh
    sandboxed copy of the workspace."""
    http = None
    if request is not None:
        http = sandbox.HttpRequest(
            method=request["method"],
            path=request["path"],
            headers=tuple((name, value) for name, value in request.get("headers", [])),
            body=request.get("body", "").encode(),
        )
    return sandbox.run_exploit(
        lab=lab,
        workspace=workspace,
        script=script,
        request=http,
        limits=sandbox_limits(),
        config=sandbox_config(),
    )


def unavailable_reason() -> str:
    """Why sandboxes cannot run on this machine (bubblewrap, root, a runtime missing), or "" when
    they can: for callers that would rather skip grading than queue runs that cannot happen."""
    from labs.sandbox import bwrap

    config = sandbox_config()
    try:
        for framework in sandbox.FRAMEWORKS:
            bwrap.check_available(config, framework)
    except sandbox.SandboxUnavailable as exc:
        return str(exc)
    return ""
