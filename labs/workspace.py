"""Build a learner workspace on disk: the starter app with files laid over it."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath


def overlay_workspace(app_dir: Path, overlay: Path | dict[str, str] | None, target: Path) -> Path:
    """Copy ``app_dir`` to ``target`` and lay ``overlay`` (a folder, or files by path) over it."""
    shutil.copytree(app_dir, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if isinstance(overlay, Path):
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    elif overlay:
        for rel, text in overlay.items():
            path = PurePosixPath(rel)
            if path.is_absolute() or ".." in path.parts:
                raise ValueError(f"{rel!r} is not a path inside the workspace")
            dest = target / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
    return target
