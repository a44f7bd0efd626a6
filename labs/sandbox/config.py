"""Where the engine finds its tools, runtimes and users.

Everything has a default that works on a machine provisioned with
``python -m labs.sandbox.provision``; the Django settings build a :class:`SandboxConfig` from their
own environment variables and pass it in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]

#: Frameworks a lab may name in ``lab.toml``; each has ``labs/runtimes/<name>.txt``.
FRAMEWORKS: tuple[str, ...] = ("flask", "fastapi", "django")

#: Files that run *inside* the sandboxes (app launcher, pytest plugin, exploit runner).
INSIDE_DIR = PACKAGE_DIR / "inside"


@dataclass(frozen=True)
class SandboxConfig:
    """Machine-level settings of the engine (not per lab: see :class:`labs.sandbox.Limits`)."""

    #: One virtualenv per framework, built by the provisioning command.
    runtimes_dir: Path = REPO_ROOT / "var" / "runtimes"
    #: Pinned requirement files, one per framework.
    requirements_dir: Path = REPO_ROOT / "labs" / "runtimes"
    #: Slot locks and per-slot job folders. Sandbox users must be able to traverse every parent.
    work_dir: Path = REPO_ROOT / "var" / "sandbox"
    bwrap: Path = Path("/usr/bin/bwrap")
    prlimit: Path = Path("/usr/bin/prlimit")
    #: Concurrent gradings. Each slot has its own pair of users, so that RLIMIT_NPROC (counted per
    #: user, machine-wide) of one grading never starves another.
    slots: int = 8
    app_user_prefix: str = "patchwise-app"
    test_user_prefix: str = "patchwise-test"
    #: How long ``grade()`` waits for a free slot before raising SandboxBusy.
    slot_wait_seconds: float = 120.0
    #: Mount a size-limited tmpfs per job (needs root); otherwise use a plain folder.
    private_tmpfs: bool = True
    #: Extra read-only system paths bound into every sandbox, if they exist.
    extra_ro_paths: tuple[str, ...] = field(default=())
    #: Slot locks. Machine-wide by default (not under ``work_dir``): two engines configured with
    #: different work folders still share the same slot users, so they must share the locks too.
    lock_dir: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig:
        """Build a config from ``PATCHWISE_SANDBOX_*`` variables (used by the CLI and
        provisioning)."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        paths = {
            "PATCHWISE_SANDBOX_RUNTIMES_DIR": "runtimes_dir",
            "PATCHWISE_SANDBOX_WORK_DIR": "work_dir",
            "PATCHWISE_SANDBOX_BWRAP": "bwrap",
        }
        for var, name in paths.items():
            if env.get(var):
                kwargs[name] = Path(env[var])
        if env.get("PATCHWISE_SANDBOX_SLOTS"):
            kwargs["slots"] = int(env["PATCHWISE_SANDBOX_SLOTS"])
        return cls(**kwargs)  # type: ignore[arg-type]

    @property
    def effective_lock_dir(self) -> Path:
        if self.lock_dir is not None:
            return self.lock_dir
        if Path("/run/lock").is_dir():
            return Path("/run/lock/patchwise-sandbox")
        return self.work_dir / "locks"

    def runtime_dir(self, framework: str) -> Path:
        return self.runtimes_dir / framework

    def requirements_file(self, framework: str) -> Path:
        return self.requirements_dir / f"{framework}.txt"

    def user_names(self, slot: int) -> tuple[str, str]:
        """(app user, test user) of a slot, e.g. ``patchwise-app0``, ``patchwise-test0``."""
        return f"{self.app_user_prefix}{slot}", f"{self.test_user_prefix}{slot}"
