"""Where the engine finds its tools, runtimes and users.

Everything has a default that works on a machine provisioned with
``python -m labs.sandbox.provision``; the Django settings build a :class:`SandboxConfig` from their
own environment variables and pass it in.

The sandbox users (not root) open the folders bound into every sandbox, so each folder on the way
there must be searchable by other users. When the project's own folders are (``var/runtimes``,
``var/sandbox``, ``labs/sandbox/inside``), they are used in place. When they are not (a clone under
``/root``, mode 700), the defaults move to a root-owned folder keyed by the project's path,
``/var/lib/patchwise-sandbox/<hash>/{runtimes,work,inside}``, which provisioning creates; its
``inside`` is a copy of ``labs/sandbox/inside`` the engine keeps in sync. :func:`default_dirs` is
that rule; the engine and the Django settings both take their defaults from it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]

#: Frameworks a lab may name in ``lab.toml``; each has ``labs/runtimes/<name>.txt``.
FRAMEWORKS: tuple[str, ...] = ("flask", "fastapi", "django")

#: Files that run *inside* the sandboxes (app launcher, pytest plugin, exploit runner).
INSIDE_DIR = PACKAGE_DIR / "inside"

#: Root-owned home of the sandbox folders of projects the sandbox users cannot reach.
SYSTEM_DIR = Path("/var/lib/patchwise-sandbox")
#: File in each ``SYSTEM_DIR/<hash>/`` naming the project it belongs to.
PROJECT_MARKER = "project"


@dataclass(frozen=True)
class SandboxDirs:
    """The folders the sandbox users open: runtimes, job folders, the engine's inside files."""

    runtimes: Path
    work: Path
    inside: Path
    #: ``SYSTEM_DIR/<hash>`` when the project's own folders are out of the sandbox users' reach.
    home: Path | None = None


def searchable_by_others(path: Path) -> bool:
    """Whether a user who is neither owner nor group member can search every folder down to
    ``path``, symlinks resolved (as bubblewrap resolves them). Missing trailing folders do not
    count: provisioning creates them (mode 0755)."""
    path = Path(os.path.realpath(path))
    for folder in reversed((path, *path.parents)):
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        if not stat.S_ISDIR(info.st_mode) or not info.st_mode & stat.S_IXOTH:
            return False
    return True


def readable_by_others(folder: Path) -> bool:
    """Whether other users can read every file below ``folder`` (and search its subfolders)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if name != "__pycache__"]
        for name in dirnames + filenames:
            try:
                mode = os.stat(os.path.join(dirpath, name)).st_mode
            except OSError:
                return False
            if not mode & (stat.S_IXOTH if stat.S_ISDIR(mode) else stat.S_IROTH):
                return False
    return True


def project_key(repo_root: Path) -> str:
    """Short, stable name of a project folder (its path's hash)."""
    return hashlib.sha256(os.fsencode(repo_root)).hexdigest()[:12]


def default_dirs(repo_root: Path = REPO_ROOT, system_dir: Path = SYSTEM_DIR) -> SandboxDirs:
    """The default sandbox folders of the project at ``repo_root``: its own ``var/runtimes``,
    ``var/sandbox`` and ``labs/sandbox/inside`` when the sandbox users can reach all of them,
    else ``system_dir/<hash of repo_root>/{runtimes,work,inside}``.

    A pure function of the folders' modes: the provisioning command, the engine and the Django
    settings all call it (once per process, see :func:`project_dirs`) and get the same answer.
    """
    repo_root = Path(os.path.abspath(repo_root))
    runtimes = repo_root / "var" / "runtimes"
    work = repo_root / "var" / "sandbox"
    inside = repo_root / "labs" / "sandbox" / "inside"
    if all(searchable_by_others(path) for path in (runtimes, work, inside)) and (
        readable_by_others(inside)
    ):
        return SandboxDirs(runtimes=runtimes, work=work, inside=inside)
    home = system_dir / project_key(repo_root)
    return SandboxDirs(
        runtimes=home / "runtimes", work=home / "work", inside=home / "inside", home=home
    )


@functools.cache
def project_dirs() -> SandboxDirs:
    """:func:`default_dirs` of this project, decided once per process."""
    return default_dirs(REPO_ROOT)


@dataclass(frozen=True)
class SandboxConfig:
    """Machine-level settings of the engine (not per lab: see :class:`labs.sandbox.Limits`)."""

    #: One virtualenv per framework, built by the provisioning command. None (or left out): the
    #: engine's default, :func:`project_dirs`, resolved when the config is made.
    runtimes_dir: Path = None  # type: ignore[assignment]
    #: Pinned requirement files, one per framework.
    requirements_dir: Path = REPO_ROOT / "labs" / "runtimes"
    #: Slot locks and per-slot job folders. Sandbox users must be able to traverse every parent.
    #: None (or left out): the engine's default, like ``runtimes_dir``.
    work_dir: Path = None  # type: ignore[assignment]
    #: The engine's files run inside the sandboxes (bound read-only at ``/opt/patchwise``):
    #: ``labs/sandbox/inside`` itself, or a copy of it that the engine keeps in sync. None (or
    #: left out): the engine's default.
    inside_dir: Path = None  # type: ignore[assignment]
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

    def __post_init__(self) -> None:
        # An unset folder means the engine's own default, decided here and nowhere else, so a
        # caller (the Django settings) can pass None for "not configured".
        defaults = {"runtimes_dir": "runtimes", "work_dir": "work", "inside_dir": "inside"}
        for name, attribute in defaults.items():
            value = getattr(self, name)
            resolved = getattr(project_dirs(), attribute) if value is None else Path(value)
            object.__setattr__(self, name, resolved)

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
