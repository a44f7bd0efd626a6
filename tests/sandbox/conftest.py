"""Fixtures for the sandbox engine's tests: a tiny Flask lab and workspaces built from it.

These tests run the real sandbox (bubblewrap, the slot users, the runtimes). They skip only when
bubblewrap is not installed or we are not root; a machine that has both but was never provisioned
fails loudly instead, with the command that fixes it.
"""

from __future__ import annotations

import os
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
    config = SandboxConfig()
    if not config.bwrap.exists():
        pytest.skip(f"bubblewrap is not installed ({config.bwrap}): apt-get install bubblewrap")
    if os.geteuid() != 0:
        pytest.skip("the sandbox engine runs as root (it starts sandboxes as the slot users)")
    missing = [
        f"runtime {framework}"
        for framework in ("flask",)
        if not (config.runtime_dir(framework) / ".patchwise-runtime.json").exists()
    ]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not built: run `python -m labs.sandbox.provision` as root"
        )
    return config


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
