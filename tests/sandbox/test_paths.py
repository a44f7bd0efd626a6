"""Path safety: one rule for names, and a folder copy that follows no link and refuses the unsafe.

The grader runs as root, so a workspace holding a link to ``/root`` must be refused at once, not
copied (gigabytes of host files into a learner's job).
"""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path, PurePosixPath

import pytest

from labs.sandbox import SandboxConfig, UnsafePath, copy_tree, grade, safe_relative_path
from labs.sandbox.errors import SandboxError

from .support import LAB_DIR


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("app.py", PurePosixPath("app.py")),
        ("templates/login.html", PurePosixPath("templates/login.html")),
        ("a/./b.py", PurePosixPath("a/b.py")),
        ("dir/", PurePosixPath("dir")),
    ],
)
def test_safe_relative_path_accepts_paths_inside_the_folder(
    name: str, expected: PurePosixPath
) -> None:
    assert safe_relative_path(name) == expected


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("/etc/passwd", "absolute"),
        ("../outside.py", "climb out"),
        ("app/../../outside.py", "climb out"),
        ("..", "climb out"),
        ("app\\..\\x.py", "backslash"),
        ("app.py\x00.txt", "NUL"),
        ("", "empty"),
        (".", "empty"),
    ],
)
def test_safe_relative_path_refuses_paths_that_leave_the_folder(name: str, words: str) -> None:
    with pytest.raises(UnsafePath, match=words) as caught:
        safe_relative_path(name)
    assert caught.value.path == name
    assert isinstance(caught.value, ValueError)  # callers that validate input catch ValueError
    assert isinstance(caught.value, SandboxError)  # and the engine's callers SandboxError


def clean_tree(root: Path) -> Path:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "app.py").write_text("print('hi')\n")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "sub" / "data.bin").write_bytes(bytes(range(256)) * 1000)
    (root / "run.sh").write_text("#!/bin/sh\n")
    os.chmod(root / "run.sh", 0o755)  # noqa: S103 - an executable the copy must keep
    os.chmod(root / "app.py", 0o640)
    return root


def snapshot(root: Path) -> dict[str, tuple[bool, int, bytes]]:
    """Every entry below ``root``: (is a folder, permission bits of files, content)."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        is_dir = stat.S_ISDIR(info.st_mode)
        found[path.relative_to(root).as_posix()] = (
            is_dir,
            0 if is_dir else stat.S_IMODE(info.st_mode),
            b"" if is_dir else path.read_bytes(),
        )
    return found


def test_a_clean_folder_copies_identically(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")

    copy_tree(source, tmp_path / "dst")

    assert snapshot(tmp_path / "dst") == snapshot(source)
    assert "empty" in snapshot(tmp_path / "dst")


def test_copying_over_a_folder_replaces_its_files(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    target = tmp_path / "dst"
    target.mkdir()
    (target / "app.py").write_text("old\n")
    (target / "kept.py").write_text("starter\n")

    copy_tree(source, target)

    assert (target / "app.py").read_text() == "print('hi')\n"
    assert (target / "kept.py").read_text() == "starter\n"


def test_caches_and_virtualenvs_are_left_out_not_refused(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    (source / ".venv" / "bin").mkdir(parents=True)
    (source / ".venv" / "bin" / "python").symlink_to("/usr/bin/python3")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "app.cpython-311.pyc").write_bytes(b"\0")
    (source / "stale.pyc").write_bytes(b"\0")

    copy_tree(source, tmp_path / "dst")

    assert not (tmp_path / "dst" / ".venv").exists()
    assert not (tmp_path / "dst" / "__pycache__").exists()
    assert not (tmp_path / "dst" / "stale.pyc").exists()


def test_a_symlinked_file_is_refused_and_not_followed(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    (source / "pkg" / "secret.txt").symlink_to("/etc/passwd")

    with pytest.raises(UnsafePath, match="symbolic link") as caught:
        copy_tree(source, tmp_path / "dst")

    assert caught.value.path == "pkg/secret.txt"
    assert not (tmp_path / "dst" / "pkg" / "secret.txt").exists()


@pytest.mark.parametrize("host_folder", ["/root", "/"])
def test_a_symlinked_folder_is_refused_at_once(tmp_path: Path, host_folder: str) -> None:
    source = clean_tree(tmp_path / "src")
    (source / "host").symlink_to(host_folder)

    started = time.monotonic()
    with pytest.raises(UnsafePath, match="symbolic link") as caught:
        copy_tree(source, tmp_path / "dst")

    assert time.monotonic() - started < 2  # refused, not walked
    assert caught.value.path == "host"
    assert not (tmp_path / "dst" / "host").exists()


def test_a_symlink_to_a_folder_inside_is_refused_too(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    (source / "alias").symlink_to("pkg")

    with pytest.raises(UnsafePath, match="'alias'"):
        copy_tree(source, tmp_path / "dst")


@pytest.mark.timeout(10)
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    os.mkfifo(source / "pkg" / "pipe")

    with pytest.raises(UnsafePath, match="FIFO") as caught:
        copy_tree(source, tmp_path / "dst")

    assert caught.value.path == "pkg/pipe"


def test_a_socket_is_refused(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(source / "app.sock"))
        with pytest.raises(UnsafePath, match="socket"):
            copy_tree(source, tmp_path / "dst")
    finally:
        server.close()


def test_a_hard_link_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("host secret\n")
    os.link(outside, source / "pkg" / "innocent.txt")

    with pytest.raises(UnsafePath, match="hard link") as caught:
        copy_tree(source, tmp_path / "dst")

    assert caught.value.path == "pkg/innocent.txt"
    assert not (tmp_path / "dst" / "pkg" / "innocent.txt").exists()


def test_a_file_name_with_a_backslash_is_refused(tmp_path: Path) -> None:
    source = clean_tree(tmp_path / "src")
    (source / "..\\evil.py").write_text("")

    with pytest.raises(UnsafePath, match="backslash"):
        copy_tree(source, tmp_path / "dst")


def test_grading_refuses_a_workspace_with_a_link_to_the_host(
    sandbox_config: SandboxConfig, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    copy_tree(LAB_DIR / "app", workspace)
    (workspace / "host").symlink_to("/root")

    started = time.monotonic()
    with pytest.raises(UnsafePath, match="host"):
        grade(lab=LAB_DIR, workspace=workspace, config=sandbox_config)

    assert time.monotonic() - started < 10
