"""Prepare a machine to run sandboxes: ``python -m labs.sandbox.provision`` (as root).

Idempotent and quick when nothing changed, so ``make install`` can call it every time:

1. installs bubblewrap and the Debian venv module with apt-get when they are missing;
2. creates the unprivileged users of every slot (``patchwise-app<N>``, ``patchwise-test<N>``);
3. when the sandbox users cannot reach the project's folders (a clone under ``/root``), creates
   ``/var/lib/patchwise-sandbox/<hash>/`` to hold them instead, with an up-to-date copy of
   ``labs/sandbox/inside`` (see :func:`labs.sandbox.config.default_dirs`);
4. builds ``var/runtimes/<framework>/`` from ``labs/runtimes/<framework>.txt`` when the
   requirement file (or the base Python) changed since the last build, using Debian's
   ``/usr/bin/python3`` so that the interpreter lives under ``/usr``, which every sandbox already
   sees read-only;
5. runs one tiny sandbox per runtime as a slot user to prove the whole chain works;
6. removes the ``/var/lib/patchwise-sandbox/`` folders of projects that no longer exist.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from .assets import prepare_home, prune_orphans, sync_inside
from .config import FRAMEWORKS, INSIDE_DIR, REPO_ROOT, SandboxConfig, project_dirs
from .errors import SandboxUnavailable

#: Bump when the way runtimes are built changes, to force a rebuild everywhere.
RUNTIME_FORMAT = 1
MARKER = ".patchwise-runtime.json"
BASE_PYTHON = Path("/usr/bin/python3")


def log(message: str) -> None:
    print(f"[sandbox provision] {message}", flush=True)


def ensure_packages(config: SandboxConfig) -> None:
    """Install the Debian packages the sandbox needs, only when missing."""
    missing = []
    if not config.bwrap.exists():
        missing.append("bubblewrap")
    if not BASE_PYTHON.exists():
        missing.append("python3")
    probe = [str(BASE_PYTHON), "-c", "import ensurepip, venv"]
    if BASE_PYTHON.exists() and subprocess.run(probe, capture_output=True).returncode != 0:
        missing.append("python3-venv")
    if not config.prlimit.exists():
        missing.append("util-linux")
    if not missing:
        return
    if shutil.which("apt-get") is None:
        raise SandboxUnavailable(f"missing {', '.join(missing)} and no apt-get to install them")
    log(f"installing {' '.join(missing)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def ensure_users(config: SandboxConfig) -> list[tuple[str, int]]:
    """Create each slot's app and test users (system users, no home, no login shell)."""
    created = []
    for slot in range(config.slots):
        for name in config.user_names(slot):
            try:
                pwd.getpwnam(name)
                continue
            except KeyError:
                pass
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--user-group",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--comment",
                    "Patchwise sandbox",
                    name,
                ],
                check=True,
            )
            created.append((name, pwd.getpwnam(name).pw_uid))
    return created


def runtime_fingerprint(requirements: Path) -> str:
    version = subprocess.run(
        [str(BASE_PYTHON), "-c", "import sys; print(sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    digest = hashlib.sha256()
    digest.update(f"format={RUNTIME_FORMAT}\npython={version}\n".encode())
    digest.update(requirements.read_bytes())
    return digest.hexdigest()


def runtime_is_current(target: Path, fingerprint: str) -> bool:
    try:
        marker = json.loads((target / MARKER).read_text())
    except (OSError, ValueError):
        return False
    return marker.get("fingerprint") == fingerprint and (target / "bin" / "python").exists()


def build_runtime(config: SandboxConfig, framework: str, *, force: bool = False) -> bool:
    """Build one runtime virtualenv; return True when it was (re)built."""
    requirements = config.requirements_file(framework)
    target = config.runtime_dir(framework)
    fingerprint = runtime_fingerprint(requirements)
    if not force and runtime_is_current(target, fingerprint):
        return False
    log(f"building runtime {framework} in {target}")
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(target.parent, 0o755)  # noqa: S103 - sandbox users read the runtimes
    old_umask = os.umask(0o022)
    try:
        subprocess.run([str(BASE_PYTHON), "-m", "venv", str(target)], check=True)
        python = str(target / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check", "--no-input"]
        subprocess.run([*pip, "install", "--quiet", "-r", str(requirements)], check=True)
        subprocess.run([*pip, "check"], check=True)
        # The sandbox mounts the runtime read-only, so bytecode must exist before the first run.
        subprocess.run(
            [python, "-m", "compileall", "-q", "-j", "0", str(target / "lib")], check=False
        )
    finally:
        os.umask(old_umask)
    make_world_readable(target)
    (target / MARKER).write_text(json.dumps({"fingerprint": fingerprint, "framework": framework}))
    return True


def make_world_readable(root: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                continue
            extra = stat.S_IRGRP | stat.S_IROTH
            if stat.S_ISDIR(st.st_mode) or st.st_mode & stat.S_IXUSR:
                extra |= stat.S_IXGRP | stat.S_IXOTH
            if st.st_mode & extra != extra:
                os.chmod(path, st.st_mode | extra)


def make_folders(path: Path) -> None:
    """``mkdir -p`` whose new folders are 0755 whatever the umask (sandbox users traverse them);
    existing folders keep their mode."""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o755)  # noqa: S103 - sandbox users traverse it


def check_traversable(path: Path) -> None:
    """Sandbox users bind these paths, so every parent folder must be searchable by anyone."""
    for parent in [path, *path.parents]:
        if parent.exists() and not os.stat(parent).st_mode & stat.S_IXOTH:
            raise SandboxUnavailable(
                f"{parent} is not searchable by other users "
                f"(mode {oct(os.stat(parent).st_mode)[-4:]}), "
                f"so sandbox users cannot reach {path}; choose folders every user can search "
                "(PATCHWISE_SANDBOX_RUNTIMES_DIR / PATCHWISE_SANDBOX_WORK_DIR), or unset them"
            )


def smoke_test(config: SandboxConfig, framework: str) -> None:
    """Import the framework inside a real sandbox as a slot user, exactly as grading does."""
    from .bwrap import run_probe

    module = {"flask": "flask", "fastapi": "fastapi", "django": "django"}[framework]
    run_probe(config, framework, f"import {module}, pytest, httpx")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild every runtime")
    parser.add_argument(
        "--framework", choices=FRAMEWORKS, action="append", help="only these runtimes"
    )
    parser.add_argument("--no-smoke-test", action="store_true")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("must run as root (it creates users and runs sandboxes as them)")
        return 2
    config = SandboxConfig.from_env()
    home = project_dirs().home
    try:
        ensure_packages(config)
        for name, uid in ensure_users(config):
            log(f"created user {name} (uid {uid})")
        used = (config.runtimes_dir, config.work_dir, config.inside_dir)
        if home is not None and any(path.is_relative_to(home) for path in used):
            prepare_home(home)
            log(f"sandbox users cannot reach {REPO_ROOT}: its sandbox folders are in {home}")
        make_folders(config.runtimes_dir)
        make_folders(config.work_dir)
        os.chmod(config.work_dir, 0o755)  # noqa: S103 - sandbox users traverse it
        if config.inside_dir != INSIDE_DIR and sync_inside(config.inside_dir):
            log(f"updated {config.inside_dir}, the copy of {INSIDE_DIR}")
        for path in used:
            check_traversable(path)
        frameworks = args.framework or list(FRAMEWORKS)
        for framework in frameworks:
            if not build_runtime(config, framework, force=args.force):
                log(f"runtime {framework} is up to date")
        if not args.no_smoke_test:
            for framework in frameworks:
                smoke_test(config, framework)
            log("sandbox smoke test passed")
        for folder in prune_orphans():
            log(f"removed {folder}: its project is gone")
    except (SandboxUnavailable, subprocess.CalledProcessError) as exc:
        log(f"failed: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
