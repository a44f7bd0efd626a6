"""Start one process inside bubblewrap, as an unprivileged slot user, with rlimits.

The chain is ``Popen(user=, group=, extra_groups=[])`` -> ``prlimit`` -> ``bwrap`` -> the command.
Privileges are dropped by ``subprocess`` itself before the first exec (no ``preexec_fn``, which is
not safe in a threaded worker), so bubblewrap never runs as root: as root it would map to root
inside the sandbox and RLIMIT_NPROC would not apply. ``prlimit`` then lowers the limits (allowed for
anyone) and execs bubblewrap, which unshares every namespace (so: no network but its own loopback,
its own pid namespace whose init kills everything when it dies) and mounts a read-only system.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .assets import sync_inside
from .config import INSIDE_DIR, SandboxConfig
from .errors import SandboxUnavailable
from .limits import RLimits
from .process import RunningSandbox
from .slots import Identity

#: Top-level system folders bound read-only (or re-created as symlinks on merged-/usr systems).
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
#: Host files in /etc that Python and glibc read; passwd, group, hosts come from the job folder.
HOST_ETC_FILES = ("ld.so.cache", "localtime", "mime.types")
JOB_ETC_FILES = ("passwd", "group", "hosts")

#: Where things appear inside every sandbox.
RUNTIME_MOUNT = "/opt/runtime"
INSIDE_MOUNT = "/opt/patchwise"
APP_MOUNT = "/work/app"
RUN_MOUNT = "/run/app"
TESTS_MOUNT = "/work/tests"
REPORT_MOUNT = "/work/report"
EXPLOIT_MOUNT = "/work/exploit"
SOCKET_PATH = f"{RUN_MOUNT}/app.sock"
#: Each sandbox's own small tmpfs, not the host's /tmp.
SANDBOX_TMP = "/tmp"  # noqa: S108
PYTHON = f"{RUNTIME_MOUNT}/bin/python"


@dataclass(frozen=True)
class Mount:
    source: Path
    dest: str
    writable: bool = False


@dataclass(frozen=True)
class SandboxSpec:
    """Everything needed to start one sandboxed process."""

    name: str
    identity: Identity
    argv: list[str]
    env: dict[str, str]
    mounts: list[Mount]
    chdir: str
    rlimits: RLimits
    tmp_bytes: int
    etc_dir: Path
    runtime: Path
    pass_fds: tuple[int, ...] = ()


def check_available(config: SandboxConfig, framework: str) -> Path:
    """Return the runtime folder for ``framework``, or raise SandboxUnavailable with the fix."""
    if not config.bwrap.exists():
        raise SandboxUnavailable(
            f"bubblewrap is not installed ({config.bwrap}): apt-get install bubblewrap"
        )
    if not config.prlimit.exists():
        raise SandboxUnavailable(
            f"prlimit is not installed ({config.prlimit}): apt-get install util-linux"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable("the grader must run as root to start sandboxes as the slot users")
    runtime = config.runtime_dir(framework)
    if (
        not (runtime / "bin" / "python").exists()
        or not (runtime / ".patchwise-runtime.json").exists()
    ):
        raise SandboxUnavailable(
            f"the {framework} runtime is not built in {runtime}: "
            "run `python -m labs.sandbox.provision` as root"
        )
    if config.inside_dir != INSIDE_DIR:
        # A copy (the project is out of the sandbox users' reach): never run a stale one.
        try:
            sync_inside(config.inside_dir)
        except OSError as exc:
            raise SandboxUnavailable(f"cannot update {config.inside_dir}: {exc}") from exc
    return runtime


def base_env(identity: Identity) -> dict[str, str]:
    return {
        "PATH": f"{RUNTIME_MOUNT}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": SANDBOX_TMP,
        "TMPDIR": SANDBOX_TMP,
        "USER": identity.name,
        "LOGNAME": identity.name,
        "LANG": "C.UTF-8",
        # Each glibc malloc arena reserves 64 MB of address space; RLIMIT_AS would count them all.
        "MALLOC_ARENA_MAX": "2",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
    }


def bwrap_argv(config: SandboxConfig, spec: SandboxSpec) -> list[str]:
    args = [
        str(config.bwrap),
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        # No bubblewrap init inside: the command is the namespace's pid 1, so the outer bubblewrap
        # reaps it itself (with its own init, that init is orphaned when the sandbox ends).
        "--as-pid-1",
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    for name, value in spec.env.items():
        args += ["--setenv", name, value]
    for name in SYSTEM_DIRS:
        host = Path("/") / name
        if host.is_symlink():
            args += ["--symlink", os.readlink(host), f"/{name}"]
        elif host.is_dir():
            args += ["--ro-bind", str(host), f"/{name}"]
    for name in HOST_ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for name in JOB_ETC_FILES:
        args += ["--ro-bind", str(spec.etc_dir / name), f"/etc/{name}"]
    for extra in config.extra_ro_paths:
        args += ["--ro-bind-try", extra, extra]
    args += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(spec.tmp_bytes),
        "--tmpfs",
        SANDBOX_TMP,
    ]
    args += [
        "--ro-bind",
        str(spec.runtime),
        RUNTIME_MOUNT,
        "--ro-bind",
        str(config.inside_dir),
        INSIDE_MOUNT,
    ]
    for mount in spec.mounts:
        args += ["--bind" if mount.writable else "--ro-bind", str(mount.source), mount.dest]
    args += ["--chdir", spec.chdir, "--", *spec.argv]
    return args


def spawn(config: SandboxConfig, spec: SandboxSpec, *, keep_bytes: int) -> RunningSandbox:
    command = [str(config.prlimit), *spec.rlimits.prlimit_args(), "--", *bwrap_argv(config, spec)]
    try:
        popen = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            cwd="/",
            user=spec.identity.uid,
            group=spec.identity.gid,
            extra_groups=[],
            start_new_session=True,
            close_fds=True,
            pass_fds=spec.pass_fds,
        )
    except PermissionError as exc:
        raise SandboxUnavailable(f"cannot start a sandbox as {spec.identity.name}: {exc}") from exc
    for handle in (popen.stdout, popen.stderr):
        if handle is not None:
            os.set_blocking(handle.fileno(), False)
    return RunningSandbox(spec, popen, keep_bytes)


def run_probe(config: SandboxConfig, framework: str, code: str) -> str:
    """Run ``python -c code`` in a sandbox as a slot's app user; raise SandboxUnavailable on
    failure.

    Used by provisioning to prove the whole chain (users, runtime, bubblewrap, rlimits) works.
    """
    from .jobdir import JobDir
    from .limits import Limits
    from .slots import acquire_slot

    runtime = check_available(config, framework)
    limits = Limits()
    with (
        acquire_slot(config) as slot,
        JobDir(slot, disk_mb=16, private_tmpfs=config.private_tmpfs) as job,
    ):
        spec = SandboxSpec(
            name="probe",
            identity=slot.app,
            argv=[PYTHON, "-I", "-c", code],
            env=base_env(slot.app),
            mounts=[Mount(job.app, APP_MOUNT, writable=True)],
            chdir=APP_MOUNT,
            rlimits=limits.app_rlimits(),
            tmp_bytes=limits.tmp_mb * 1024 * 1024,
            etc_dir=job.etc,
            runtime=runtime,
        )
        command = [
            str(config.prlimit),
            *spec.rlimits.prlimit_args(),
            "--",
            *bwrap_argv(config, spec),
        ]
        result = subprocess.run(
            command,
            capture_output=True,
            env={"PATH": "/usr/bin:/bin"},
            cwd="/",
            user=slot.app.uid,
            group=slot.app.gid,
            extra_groups=[],
            timeout=60,
        )
    if result.returncode != 0:
        raise SandboxUnavailable(
            f"sandbox probe for {framework} failed ({result.returncode}): "
            f"{result.stderr.decode('utf-8', 'replace')[-2000:]}"
        )
    return result.stdout.decode("utf-8", "replace")
