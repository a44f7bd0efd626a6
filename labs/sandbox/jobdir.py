"""The per-run job folder: a fresh, size-limited filesystem with copies of all a run needs.

Layout (host side; each sandbox binds only the parts it needs, see ``bwrap.py``)::

    <work_dir>/slot<N>/       root 0711, a private tmpfs of ``disk_mb`` when we are root
      app/                    app user 0755: copy of the learner's workspace; the app may write here
      run/                    app user, group = test user's group, 0750: the app's unix socket
      tests/                  test user 0700: copy of tests/hidden or tests/public (app: no access)
      report/                 test user 0700: the test process's JSON report (app: no access)
      exploit/                test user 0700: the learner's exploit script or request
      etc/                    root 0755: passwd, group, hosts for the sandboxes

The learner's files on the host are never touched: the app only ever sees the copy.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import shutil
import stat
from pathlib import Path

from .errors import SandboxError
from .paths import SKIPPED_DIRS, SKIPPED_SUFFIXES, TreeEntry, copy_fd, iter_tree, open_regular
from .slots import Identity, Slot

logger = logging.getLogger(__name__)

MS_NOSUID = 2
MS_NODEV = 4
MNT_DETACH = 2

_libc = ctypes.CDLL(None, use_errno=True)


class WorkspaceTooLarge(SandboxError):
    """The learner's workspace does not fit in the job's filesystem."""


def unmount(path: Path) -> None:
    """Detach the filesystem mounted on ``path`` (a job's tmpfs)."""
    if _libc.umount2(os.fsencode(path), MNT_DETACH) != 0:
        err = ctypes.get_errno()
        raise SandboxError(f"cannot unmount {path}: {os.strerror(err)}")


class JobDir:
    """Create the job folder on enter, destroy it (and its tmpfs) on exit."""

    def __init__(self, slot: Slot, *, disk_mb: int, private_tmpfs: bool = True) -> None:
        self.slot = slot
        self.root = slot.job_dir
        self.disk_mb = disk_mb
        self.private_tmpfs = private_tmpfs
        self.mounted = False

    @property
    def app(self) -> Path:
        return self.root / "app"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def tests(self) -> Path:
        return self.root / "tests"

    @property
    def report(self) -> Path:
        return self.root / "report"

    @property
    def exploit(self) -> Path:
        return self.root / "exploit"

    @property
    def etc(self) -> Path:
        return self.root / "etc"

    def __enter__(self) -> JobDir:
        self.destroy()
        self.root.mkdir(parents=True, exist_ok=True)
        if self.private_tmpfs and os.geteuid() == 0:
            self.mounted = self._mount_tmpfs()
        os.chown(self.root, 0, 0)
        os.chmod(self.root, 0o711)  # noqa: S103 - traversable, not listable
        app, test = self.slot.app, self.slot.test
        self._mkdir(self.app, app.uid, app.gid, 0o755)
        self._mkdir(self.run, app.uid, test.gid, 0o750)
        self._mkdir(self.tests, test.uid, test.gid, 0o700)
        self._mkdir(self.report, test.uid, test.gid, 0o700)
        self._mkdir(self.exploit, test.uid, test.gid, 0o700)
        self._mkdir(self.etc, 0, 0, 0o755)
        self._write_etc(app, test)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.destroy()

    def destroy(self) -> None:
        """Remove everything from a previous or the current run (the slot's processes are dead)."""
        if os.path.ismount(self.root):
            unmount(self.root)
        if self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        self.mounted = False

    def _mount_tmpfs(self) -> bool:
        # nr_inodes bounds the number of files too, not only their size.
        options = f"size={self.disk_mb}m,nr_inodes=20000,mode=0711,uid=0,gid=0"
        rc = _libc.mount(
            b"patchwise-job",
            os.fsencode(self.root),
            b"tmpfs",
            MS_NOSUID | MS_NODEV,
            options.encode(),
        )
        if rc != 0:
            err = ctypes.get_errno()
            logger.warning(
                "no private tmpfs for %s (%s): disk use is not capped", self.root, os.strerror(err)
            )
            return False
        return True

    @staticmethod
    def _mkdir(path: Path, uid: int, gid: int, mode: int) -> None:
        path.mkdir()
        os.chown(path, uid, gid)
        os.chmod(path, mode)

    def _write_etc(self, app: Identity, test: Identity) -> None:
        users = [
            ("root", 0, 0),
            ("app", app.uid, app.gid),
            ("tester", test.uid, test.gid),
            ("nobody", 65534, 65534),
        ]
        passwd = "".join(
            f"{name}:x:{uid}:{gid}::/tmp:/usr/sbin/nologin\n" for name, uid, gid in users
        )
        group = "".join(f"{name}:x:{gid}:\n" for name, _, gid in users)
        hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\tsandbox\n"
        for name, content in (("passwd", passwd), ("group", group), ("hosts", hosts)):
            target = self.etc / name
            target.write_text(content)
            os.chmod(target, 0o644)

    def copy_in(
        self, source: Path, target: Path, owner: Identity, *, private: bool = False
    ) -> None:
        """Copy the folders and regular files of ``source`` into ``target``, owned by ``owner``.

        Caches, version control and virtualenvs are left out (``paths.SKIPPED_DIRS``). A symlink,
        device, socket, FIFO or hard-linked file raises :class:`~.paths.UnsafePath`: followed, it
        would make us (root) copy a host file into the sandbox, and a FIFO would block the copy.
        ``private`` makes the copy readable by its owner only (hidden tests).
        """
        dir_mode, file_mode, exec_mode = (0o700, 0o600, 0o700) if private else (0o755, 0o644, 0o755)
        source = Path(source)
        if not source.is_dir():
            raise SandboxError(f"{source} is not a folder")
        for entry in iter_tree(source, skip_dirs=SKIPPED_DIRS, skip_suffixes=SKIPPED_SUFFIXES):
            dest = target.joinpath(*entry.path.parts)
            if entry.is_dir:
                dest.mkdir(exist_ok=True)
                os.chown(dest, owner.uid, owner.gid)
                os.chmod(dest, dir_mode)
                continue
            try:
                self._copy_file(entry, dest)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise WorkspaceTooLarge(f"the files do not fit in {self.disk_mb} MB") from None
                raise
            os.chown(dest, owner.uid, owner.gid)
            os.chmod(dest, exec_mode if entry.mode & stat.S_IXUSR else file_mode)

    @staticmethod
    def _copy_file(entry: TreeEntry, dest: Path) -> None:
        fd_in = open_regular(entry)
        try:
            fd_out = os.open(
                dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
            )
            try:
                copy_fd(fd_in, fd_out)
            finally:
                os.close(fd_out)
        finally:
            os.close(fd_in)

    def write_private(self, path: Path, data: bytes, owner: Identity) -> None:
        """Write a file only ``owner`` may read (the exploit script, a request to replay)."""
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.chown(path, owner.uid, owner.gid)

    def read_report(self, name: str, max_bytes: int) -> bytes | None:
        """Read a report the test (or script) process wrote; None when it wrote none."""
        path = self.report / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except OSError:
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            chunks = []
            remaining = max_bytes
            while remaining > 0 and (chunk := os.read(fd, min(remaining, 1 << 20))):
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)
