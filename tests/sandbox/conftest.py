"""Fixtures for the sandbox engine's tests: a tiny Flask lab and workspaces built from it.

These tests run the real sandbox (bubblewrap, the slot users, the runtimes): every test that uses
``sandbox_config`` is marked ``sandbox``, and tests/lanes.py skips it with the reason (or fails it,
with PATCHWISE_REQUIRE_SANDBOX=1) on a machine where the sandbox cannot run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from labs.sandbox import SandboxConfig

from .support import HOSTILE_DIR, LAB_DIR

# The fixture bundle holds pytest files of its own (the lab's tests): they only run inside the
# sandbox.
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session")
def sandbox_config() -> SandboxConfig:
    return SandboxConfig()


@pytest.fixture
def lab_dir() -> Path:
    return LAB_DIR


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """Build a learner workspace: the starter app/, then an overlay folder, then single files."""
    counter = iter(range(1000))

    def build(overlay: Path | None = None, files: dict[str, str] | None = None) -> Path:
        workspace = tmp_path / f"workspace{next(counter)}"
        shutil.copytree(LAB_DIR / "app", workspace)
        if overlay is not None:
            shutil.copytree(overlay, workspace, dirs_exist_ok=True)
        for name, content in (files or {}).items():
            (workspace / name).write_text(content)
        return workspace

    return build


@pytest.fixture
def hostile_workspace(make_workspace: Callable[..., Path]) -> Callable[[str], Path]:
    """The starter app with a hostile prelude (tests/sandbox/fixtures/hostile/<name>.py) on top."""

    def build(name: str) -> Path:
        prelude = (HOSTILE_DIR / f"{name}.py").read_text()
        starter = (LAB_DIR / "app" / "app.py").read_text()
        return make_workspace(files={"app.py": prelude + "\n" + starter})

    return build
