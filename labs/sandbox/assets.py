"""Sandbox folders outside the project, for a project the sandbox users cannot reach.

:func:`labs.sandbox.config.default_dirs` decides; this module creates and maintains them. Layout
(owned by root, writable by nobody else)::

    /var/lib/patchwise-sandbox/          0711 (searchable, not listable)
      <hash of the project's path>/      0711
        project                          0600, the project's path: provisioning removes folders
                                         whose project is gone (a deleted CI clone)
        runtimes/<framework>/            built by provisioning, as var/runtimes/ would be
        work/slot<N>/                    job folders, as var/sandbox/ would be
        inside -> inside-<content hash>  bound read-only at /opt/patchwise in every sandbox
        inside-<content hash>/           a copy of labs/sandbox/inside/, 0755 folders, 0644 files

The copy is code that runs inside every sandbox, so it must never lag behind its source: before
each run the engine hashes the source (a few small files) and, when the hash changed, copies it to
a new ``inside-<hash>/`` and swaps the symlink with one ``rename``. A sandbox binds one complete
version or the other, never a mix of both; the previous version is kept (a run may have bound it a
moment ago), older ones are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path

from .config import INSIDE_DIR, PROJECT_MARKER, REPO_ROOT, SYSTEM_DIR, project_key
from .errors import SandboxError, SandboxUnavailable
from .jobdir import unmount

SKIPPED_DIRS = {"__pycache__"}
#: A project folder that vanished is pruned only after this long without a grading or a
#: provisioning: one that is merely hidden from us (a private /tmp) is probably still in use.
PRUNE_AFTER_IDLE_SECONDS = 3600


def own_folder(path: Path, mode: int = 0o755) -> None:
    """Create ``path`` with ``mode`` (its parent must exist), or accept it only if it is a real
    folder owned by us that nobody else can write (its mode is then left as it is)."""
    try:
        os.mkdir(path, mode)
        created = True
    except FileExistsError:
        created = False
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise SandboxUnavailable(
            f"{path} must be a folder owned by the grader's user that no one else can write"
        )
    if created:
        os.chmod(path, mode)  # mkdir's mode went through the umask


def prepare_home(home: Path, repo_root: Path = REPO_ROOT) -> None:
    """Create the project's folder under the system folder and record whose it is."""
    own_folder(home.parent, 0o711)
    own_folder(home, 0o711)
    marker = home / PROJECT_MARKER
    text = f"{repo_root}\n"
    with contextlib.suppress(OSError):
        if marker.read_text() == text:
            os.utime(marker)  # last provisioned: see prune_orphans
            return
    temporary = home / f".{PROJECT_MARKER}.{secrets.token_hex(4)}"
    temporary.write_text(text)
    os.chmod(temporary, 0o600)
    os.replace(temporary, marker)


def tree_files(folder: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of every regular file below ``folder``, sorted; no bytecode."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if name not in SKIPPED_DIRS]
        for name in filenames:
            path = Path(dirpath, name)
            if name.endswith(".pyc") or not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def content_hash(folder: Path) -> str:
    """Hash of the names, contents and executable bits of the files below ``folder``."""
    digest = hashlib.sha256()
    for rel, path in tree_files(folder):
        data = path.read_bytes()
        executable = int(bool(os.stat(path).st_mode & stat.S_IXUSR))
        digest.update(f"{rel}\0{len(data)}\0{executable}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def sync_inside(target: Path, source: Path = INSIDE_DIR) -> bool:
    """Make ``target`` a symlink to a complete, current copy of ``source``; True when it changed.

    Cheap when nothing changed (hash the source, read one symlink), so the engine calls it before
    every run.
    """
    folder = target.parent
    own_folder(folder)
    wanted = f"{target.name}-{content_hash(source)}"
    try:
        current: str | None = os.readlink(target)
    except FileNotFoundError:
        current = None
    except OSError:
        raise SandboxUnavailable(f"{target} must be a symlink made by the engine") from None
    if current == wanted and (folder / wanted).is_dir():
        return False
    version = folder / wanted
    if not version.is_dir():
        version = copy_version(source, folder, target.name)
    link = folder / f".{target.name}.{secrets.token_hex(4)}"
    os.symlink(version.name, link)
    os.replace(link, target)
    keep = {version.name, current}
    for entry in folder.iterdir():
        if entry.name.startswith(f"{target.name}-") and entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
    return True


def copy_version(source: Path, folder: Path, name: str) -> Path:
    """Copy ``source`` to ``folder/<name>-<hash of the copy>/``, made visible all at once."""
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
    try:
        for rel, path in tree_files(source):
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest, follow_symlinks=False)
            os.chmod(dest, 0o755 if os.stat(path).st_mode & stat.S_IXUSR else 0o644)
        for dirpath, _, _ in os.walk(staging):
            os.chmod(dirpath, 0o755)  # noqa: S103 - sandbox users read the copy
        # Named after what was copied: if the source changed meanwhile, the next sync sees it.
        version = folder / f"{name}-{content_hash(staging)}"
        try:
            os.rename(staging, version)
        except OSError:
            if not version.is_dir():
                raise
            # Another process copied the same version first.
        return version
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # only still there if not renamed


def mount_points() -> list[Path]:
    """Every mount point of this mount namespace (``/proc/self/mountinfo``, field 5)."""
    points = []
    with contextlib.suppress(OSError), open("/proc/self/mountinfo", "rb") as handle:
        for line in handle:
            field = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), line.split()[4])
            points.append(Path(os.fsdecode(field)))
    return points


def last_used(home: Path) -> float:
    """When the project folder last saw a provisioning (marker) or a grading (job folders)."""
    times = []
    for path in (home / PROJECT_MARKER, home / "work"):
        with contextlib.suppress(OSError):
            times.append(os.stat(path).st_mtime)
    return max(times, default=0.0)


def prune_orphans(
    system_dir: Path = SYSTEM_DIR, *, idle_seconds: float = PRUNE_AFTER_IDLE_SECONDS
) -> list[Path]:
    """Remove the folders of projects that no longer exist (a CI clone deleted after its run).

    Only folders this module made (named after the path their marker records) are touched, and
    only after ``idle_seconds`` unused. A job's tmpfs that a killed worker left mounted on
    ``work/slot<N>`` is detached first; any other mount in the folder keeps it.
    """
    removed: list[Path] = []
    try:
        entries = sorted(system_dir.iterdir())
    except FileNotFoundError:
        return removed
    mounted = mount_points()
    for entry in entries:
        try:
            project = Path((entry / PROJECT_MARKER).read_text().strip())
        except OSError:
            continue
        if entry.is_symlink() or not project.is_absolute() or project.exists():
            continue
        if entry.name != project_key(project):
            continue
        if time.time() - last_used(entry) < idle_seconds:
            continue
        inner = [point for point in mounted if point == entry or entry in point.parents]
        if any(point.parent != entry / "work" for point in inner):
            continue
        try:
            for point in inner:
                unmount(point)
        except SandboxError:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed
