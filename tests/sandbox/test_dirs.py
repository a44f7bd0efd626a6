"""Where the sandbox folders live: in the project when the sandbox users can reach it, else under a
root-owned system folder keyed by the project's path (a clone under /root, mode 700)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from labs.sandbox import SandboxConfig, Verdict, grade
from labs.sandbox.assets import content_hash, prepare_home, prune_orphans, sync_inside
from labs.sandbox.config import (
    INSIDE_DIR,
    PROJECT_MARKER,
    SandboxDirs,
    default_dirs,
    project_dirs,
    project_key,
)


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder every user can search (pytest's tmp_path sits under a 0700 folder)."""
    folder = Path(tempfile.mkdtemp(prefix="patchwise-dirs-", dir="/tmp"))
    os.chmod(folder, 0o755)  # noqa: S103 - that is the point
    yield folder
    shutil.rmtree(folder)


def make_project(parent: Path) -> Path:
    """A project folder with the in-sandbox files, every folder 0755 and file 0644 (a clone)."""
    repo = parent / "clone"
    inside = repo / "labs" / "sandbox" / "inside"
    inside.mkdir(parents=True)
    (inside / "serve.py").write_text("print('serving')\n")
    for folder in (repo, repo / "labs", repo / "labs" / "sandbox", inside):
        os.chmod(folder, 0o755)  # noqa: S103 - a clone's usual modes
    os.chmod(inside / "serve.py", 0o644)
    return repo


def test_a_project_the_sandbox_users_can_reach_keeps_its_own_folders(open_tmp: Path) -> None:
    repo = make_project(open_tmp)

    dirs = default_dirs(repo, system_dir=open_tmp / "system")

    assert dirs == SandboxDirs(
        runtimes=repo / "var" / "runtimes",
        work=repo / "var" / "sandbox",
        inside=repo / "labs" / "sandbox" / "inside",
        home=None,
    )


def test_a_project_under_a_folder_others_cannot_search_moves_to_the_system_folder(
    open_tmp: Path,
) -> None:
    private = open_tmp / "root"  # like /root: drwx------
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    repo = make_project(private)
    system = open_tmp / "system"

    dirs = default_dirs(repo, system_dir=system)

    home = system / project_key(repo)
    assert dirs == SandboxDirs(
        runtimes=home / "runtimes", work=home / "work", inside=home / "inside", home=home
    )
    assert len(home.name) == 12 and int(home.name, 16) >= 0
    # The same rule gives the same answer every time (provisioning and Django agree) ...
    assert default_dirs(repo, system_dir=system) == dirs
    # ... and each clone its own folder.
    other = make_project(private / "second")
    assert default_dirs(other, system_dir=system).home != home
    # Opening the parent brings the folders back into the project.
    os.chmod(private, 0o711)  # noqa: S103
    assert default_dirs(repo, system_dir=system).home is None


@pytest.mark.parametrize(
    ("path", "mode"),
    [
        ("var", 0o700),  # the job folders and runtimes live below it
        ("labs/sandbox/inside", 0o700),
        ("labs/sandbox/inside/serve.py", 0o600),  # the sandbox could not read it
    ],
)
def test_an_unreachable_folder_or_file_inside_the_project_counts_too(
    open_tmp: Path, path: str, mode: int
) -> None:
    repo = make_project(open_tmp)
    target = repo / path
    if not target.exists():
        target.mkdir()
    os.chmod(target, mode)

    assert default_dirs(repo, system_dir=open_tmp / "system").home is not None


def test_folders_that_do_not_exist_yet_do_not_count(open_tmp: Path) -> None:
    # A fresh clone has no var/ until provisioning creates it (0755).
    repo = make_project(open_tmp)
    assert not (repo / "var").exists()

    assert default_dirs(repo, system_dir=open_tmp / "system").home is None


def test_an_unset_folder_means_the_engines_default() -> None:
    dirs = project_dirs()

    for config in (SandboxConfig(), SandboxConfig(runtimes_dir=None, work_dir=None)):
        assert (config.runtimes_dir, config.work_dir, config.inside_dir) == (
            dirs.runtimes,
            dirs.work,
            dirs.inside,
        )
    assert (dirs.home is None) == (dirs.inside == INSIDE_DIR)
    explicit = SandboxConfig(runtimes_dir="/srv/runtimes", work_dir=None)  # type: ignore[arg-type]
    assert (explicit.runtimes_dir, explicit.work_dir) == (Path("/srv/runtimes"), dirs.work)


def test_the_engine_and_the_django_settings_use_the_same_rule() -> None:
    from django.conf import settings

    if os.environ.get("PATCHWISE_SANDBOX_RUNTIMES_DIR") or os.environ.get(
        "PATCHWISE_SANDBOX_WORK_DIR"
    ):
        pytest.skip("sandbox folders set explicitly in the environment")
    dirs = project_dirs()
    # The settings leave the folders unset (or name the default); the engine resolves them.
    config = SandboxConfig(
        runtimes_dir=settings.SANDBOX_RUNTIMES_DIR, work_dir=settings.SANDBOX_WORK_DIR
    )

    assert (config.runtimes_dir, config.work_dir) == (dirs.runtimes, dirs.work)


def test_the_inside_copy_follows_its_source(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "pkg" / "__pycache__").mkdir(parents=True)
    (source / "serve.py").write_text("VERSION = 1\n")
    (source / "pkg" / "tool.py").write_text("print('tool')\n")
    (source / "pkg" / "__pycache__" / "tool.cpython-311.pyc").write_bytes(b"\0")
    home = tmp_path / "home"
    target = home / "inside"

    assert sync_inside(target, source) is True
    first = os.readlink(target)
    assert first == f"inside-{content_hash(source)}"
    assert (target / "serve.py").read_text() == "VERSION = 1\n"
    assert not (target / "pkg" / "__pycache__").exists()
    copy = home / first
    for folder in (copy, copy / "pkg"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o755
    for file in (copy / "serve.py", copy / "pkg" / "tool.py"):
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o644

    assert sync_inside(target, source) is False  # nothing changed: nothing copied

    (source / "serve.py").write_text("VERSION = 2\n")
    assert sync_inside(target, source) is True
    second = os.readlink(target)
    assert (target / "serve.py").read_text() == "VERSION = 2\n"
    assert (home / first).is_dir()  # a run may have bound it just before the swap

    (source / "serve.py").write_text("VERSION = 3\n")
    assert sync_inside(target, source) is True
    versions = sorted(path.name for path in home.glob("inside-*"))
    assert versions == sorted([second, os.readlink(target)])  # older ones are removed


def test_the_folders_of_deleted_projects_are_pruned(tmp_path: Path) -> None:
    system = tmp_path / "system"
    gone = tmp_path / "deleted-clone"
    alive = tmp_path / "clone"
    alive.mkdir()
    for project in (gone, alive):
        prepare_home(system / project_key(project), project)
    (system / "not-ours").mkdir()
    misnamed = system / "0123456789ab"
    misnamed.mkdir()
    (misnamed / PROJECT_MARKER).write_text(f"{gone}\n")

    # Just provisioned: perhaps only hidden from us (a private /tmp), so kept for now.
    assert prune_orphans(system) == []
    assert prune_orphans(system, idle_seconds=0) == [system / project_key(gone)]
    assert sorted(path.name for path in system.iterdir()) == sorted(
        [project_key(alive), "not-ours", misnamed.name]
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts a tmpfs")
def test_a_job_filesystem_left_mounted_by_a_killed_worker_does_not_block_pruning(
    tmp_path: Path,
) -> None:
    system = tmp_path / "system"
    gone = tmp_path / "deleted-clone"
    home = system / project_key(gone)
    prepare_home(home, gone)
    slot = home / "work" / "slot0"
    slot.mkdir(parents=True)
    other = home / "runtimes"
    other.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "patchwise-job"]
    subprocess.run([*mount, str(slot)], check=True)
    try:
        (slot / "app.py").write_text("left behind\n")
        subprocess.run([*mount, str(other)], check=True)
        assert prune_orphans(system, idle_seconds=0) == []  # not a job's: left alone
        subprocess.run(["umount", str(other)], check=True)

        assert prune_orphans(system, idle_seconds=0) == [home]
        assert not home.exists()
    finally:
        for path in (slot, other):
            if os.path.ismount(path):
                subprocess.run(["umount", "-l", str(path)], check=False)


def test_grading_never_runs_a_stale_inside_copy(
    sandbox_config: SandboxConfig,
    lab_dir: Path,
    make_workspace: Callable[..., Path],
    open_tmp: Path,
) -> None:
    # A copy left by an older engine: its app launcher would exit at once.
    home = open_tmp / "home"
    stale = home / "inside-0000000000000000"
    shutil.copytree(INSIDE_DIR, stale, ignore=shutil.ignore_patterns("__pycache__"))
    (stale / "serve.py").write_text("raise SystemExit(3)\n")
    for path in (home, stale, *stale.iterdir()):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    (home / "inside").symlink_to(stale.name)
    config = replace(sandbox_config, inside_dir=home / "inside")

    result = grade(lab=lab_dir, workspace=make_workspace(lab_dir / "solution"), config=config)

    assert result.verdict == Verdict.PASSED, result.grader_log
    assert os.readlink(home / "inside") == f"inside-{content_hash(INSIDE_DIR)}"
