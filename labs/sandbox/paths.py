"""Path safety for files that come from learners and bundles, and copying folders without links.

The grader runs as root. A workspace or bundle folder holding a symlink (to ``/root``, ``/``), a
hard link to a file elsewhere, or a FIFO must never make it read host files or block: names are
checked by :func:`safe_relative_path`, folders are walked by :func:`iter_tree` without following
anything, and :func:`copy_tree` copies regular files and folders only. Anything else is refused
with :class:`UnsafePath` naming the offending path, never silently followed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import SandboxError

#: Names no grading needs and that are skipped, not checked: caches, version control, virtualenvs
#: (full of links to the host's interpreter).
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".pytest_cache", ".venv", "node_modules"})
SKIPPED_SUFFIXES = (".pyc",)

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CHUNK = 1 << 20


class UnsafePath(SandboxError, ValueError):
    """A path or file that could reach outside its folder: refused, never followed."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path!r}: {reason}")


def safe_relative_path(name: str) -> PurePosixPath:
    """``name`` as a relative path that stays inside its folder, or raise :class:`UnsafePath`.

    Refused: empty names, absolute paths, ``..`` parts, backslashes (a Windows separator that
    would be one odd file name here) and NUL bytes.
    """
    if not isinstance(name, str):
        raise UnsafePath(name, "a path must be text")
    if "\x00" in name:
        raise UnsafePath(name, "a path may not contain a NUL byte")
    if "\\" in name:
        raise UnsafePath(name, "a path may not contain a backslash; use '/' between folders")
    path = PurePosixPath(name)
    if name.startswith("/") or path.is_absolute():
        raise UnsafePath(name, "absolute paths are not allowed")
    if ".." in path.parts:
        raise UnsafePath(name, "a path may not climb out of its folder ('..')")
    if not path.parts:
        raise UnsafePath(name, "a path may not be empty")
    return path


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "symbolic links are not allowed"
    if stat.S_ISFIFO(mode):
        return "FIFOs (named pipes) are not allowed"
    if stat.S_ISSOCK(mode):
        return "sockets are not allowed"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device files are not allowed"
    return "only regular files and folders are allowed"


@dataclass(frozen=True)
class TreeEntry:
    """One folder or regular file found by :func:`iter_tree`.

    ``dir_fd`` is the open parent folder, valid only until the walk moves on: open the file with
    :func:`open_regular`, which re-checks what it opened.
    """

    path: PurePosixPath
    is_dir: bool
    mode: int
    dir_fd: int
    name: str
    ino: int
    dev: int


def iter_tree(
    root: Path | str,
    *,
    skip_dirs: frozenset[str] = frozenset(),
    skip_suffixes: tuple[str, ...] = (),
) -> Iterator[TreeEntry]:
    """Walk ``root`` (folders before their contents), following no link, refusing the unsafe.

    Raises :class:`UnsafePath` for a symlink, device, FIFO, socket or other special file, a
    regular file with more than one hard link (it may be a link to a file outside ``root``), or
    a name :func:`safe_relative_path` refuses. Names in ``skip_dirs`` and files ending in
    ``skip_suffixes`` are skipped without being looked at (callers pass :data:`SKIPPED_DIRS` and
    :data:`SKIPPED_SUFFIXES` to leave caches and virtualenvs out). Folders are opened relative to
    their parent's descriptor with ``O_NOFOLLOW``, so swapping one for a link mid-walk does not
    work. ``root`` itself is the caller's choice and may be reached through a link.
    """
    root = Path(root)
    try:
        top = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise UnsafePath(root, f"not a folder that can be read ({exc.strerror})") from None
    try:
        yield from _walk(top, PurePosixPath(), skip_dirs, skip_suffixes)
    finally:
        os.close(top)


def _walk(
    dir_fd: int,
    prefix: PurePosixPath,
    skip_dirs: frozenset[str],
    skip_suffixes: tuple[str, ...],
) -> Iterator[TreeEntry]:
    with os.scandir(dir_fd) as listing:
        names = sorted(entry.name for entry in listing)
    for name in names:
        if name in skip_dirs or name.endswith(skip_suffixes):
            continue
        relative = prefix / safe_relative_path(name) if prefix.parts else safe_relative_path(name)
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if stat.S_ISDIR(info.st_mode):
            try:
                sub = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except OSError as exc:
                raise UnsafePath(relative, f"cannot open this folder ({exc.strerror})") from None
            try:
                if not os.path.samestat(info, os.fstat(sub)):
                    raise UnsafePath(relative, "this folder changed while it was being copied")
                yield TreeEntry(
                    relative, True, info.st_mode, dir_fd, name, info.st_ino, info.st_dev
                )
                yield from _walk(sub, relative, skip_dirs, skip_suffixes)
            finally:
                os.close(sub)
        elif stat.S_ISREG(info.st_mode):
            if info.st_nlink > 1:
                raise UnsafePath(
                    relative,
                    "files with more than one hard link are not allowed "
                    "(it may be a link to a file outside the folder)",
                )
            yield TreeEntry(relative, False, info.st_mode, dir_fd, name, info.st_ino, info.st_dev)
        else:
            raise UnsafePath(relative, _kind(info.st_mode))


def open_regular(entry: TreeEntry) -> int:
    """Open the file ``entry`` names for reading; refuse it if it is no longer what was listed."""
    try:
        fd = os.open(entry.name, _FILE_FLAGS, dir_fd=entry.dir_fd)
    except OSError as exc:
        raise UnsafePath(entry.path, f"cannot open this file ({exc.strerror})") from None
    info = os.fstat(fd)
    if (
        not stat.S_ISREG(info.st_mode)
        or info.st_nlink > 1
        or (info.st_ino, info.st_dev) != (entry.ino, entry.dev)
    ):
        os.close(fd)
        raise UnsafePath(entry.path, "this file changed while it was being copied")
    os.set_blocking(fd, True)
    return fd


def copy_fd(fd_in: int, fd_out: int) -> None:
    """Copy everything readable from ``fd_in`` to ``fd_out``."""
    while chunk := os.read(fd_in, _CHUNK):
        view = memoryview(chunk)
        while view:
            written = os.write(fd_out, view)
            view = view[written:]


def copy_tree(
    src: Path | str,
    dst: Path | str,
    *,
    skip_dirs: frozenset[str] = SKIPPED_DIRS,
    skip_suffixes: tuple[str, ...] = SKIPPED_SUFFIXES,
) -> None:
    """Copy the folders and regular files of ``src`` into ``dst`` (created or merged into).

    Follows no link and refuses what :func:`iter_tree` refuses, raising :class:`UnsafePath`
    naming the file; ``dst`` may then hold part of the copy (the caller removes it). Caches,
    version control and virtualenvs are left out by default (``SKIPPED_DIRS``, ``*.pyc``), as the
    sandbox leaves them out of a job. Existing files in ``dst`` are replaced; permission bits are
    kept (set-id bits dropped).
    """
    dst = Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    for entry in iter_tree(src, skip_dirs=skip_dirs, skip_suffixes=skip_suffixes):
        target = dst.joinpath(*entry.path.parts)
        if entry.is_dir:
            target.mkdir(exist_ok=True)
            continue
        fd_in = open_regular(entry)
        try:
            fd_out = os.open(
                target,
                os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
            )
            try:
                copy_fd(fd_in, fd_out)
                os.fchmod(fd_out, stat.S_IMODE(entry.mode) & 0o777)
            finally:
                os.close(fd_out)
        finally:
            os.close(fd_in)
