"""Build a learner workspace on disk: the starter app with files laid over it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from labs.services import engine
from labs.services.bundles import bundle_dir_for
from labs.services.engine import copy_tree, safe_relative_path


def overlay_workspace(app_dir: Path, overlay: Path | dict[str, str] | None, target: Path) -> Path:
    """Copy ``app_dir`` to ``target`` and lay ``overlay`` (a folder, or files by path) over it.

    Nothing is followed: a link or special file in either folder, or a path in ``overlay`` that
    would leave ``target``, raises ``UnsafePath`` (a ``ValueError``) naming it.
    """
    copy_tree(app_dir, target)
    if isinstance(overlay, Path):
        copy_tree(overlay, target)
    elif overlay:
        for rel, text in overlay.items():
            path = safe_relative_path(rel)
            dest = target.joinpath(*path.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
    return target


def workspace_grade(*, lab: str, folder: Path, public: bool = False) -> engine.GradeResult:
    """Grade a folder on disk exactly as the worker grades a submission (``manage.py grade``).

    ``lab`` is a slug or a bundle folder. Links and special files in ``folder`` are refused, never
    followed: a link to ``/root`` would otherwise copy host files into the job.
    """
    bundle = bundle_dir_for(lab)
    with tempfile.TemporaryDirectory(prefix="patchwise-grade-") as tmp:
        workspace = overlay_workspace(bundle / "app", folder, Path(tmp) / "workspace")
        return engine.grade(
            lab=bundle,
            workspace=workspace,
            tests=engine.PUBLIC_TESTS if public else engine.HIDDEN_TESTS,
        )
