"""Building a learner workspace: the starter app with the learner's files laid over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs.services.workspace import overlay_workspace


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    (app / "templates").mkdir(parents=True)
    (app / "app.py").write_text("starter\n")
    (app / "templates" / "base.html").write_text("<html></html>\n")
    return app


def test_files_by_path_replace_the_starters(starter: Path, tmp_path: Path) -> None:
    target = overlay_workspace(
        starter, {"app.py": "fixed\n", "templates/new.html": "<p></p>\n"}, tmp_path / "ws"
    )

    assert (target / "app.py").read_text() == "fixed\n"
    assert (target / "templates" / "base.html").read_text() == "<html></html>\n"
    assert (target / "templates" / "new.html").read_text() == "<p></p>\n"


@pytest.mark.parametrize("name", ["../escape.py", "/etc/cron.d/x", "a\\..\\b.py", "", "x\x00.py"])
def test_a_path_that_leaves_the_workspace_is_refused(
    starter: Path, tmp_path: Path, name: str
) -> None:
    with pytest.raises(ValueError, match="path"):
        overlay_workspace(starter, {name: "boom"}, tmp_path / "ws")

    assert not (tmp_path / "escape.py").exists()


def test_a_folder_overlay_with_a_link_is_refused_not_followed(
    starter: Path, tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "app.py").write_text("fixed\n")
    (overlay / "etc").symlink_to("/etc")

    with pytest.raises(ValueError, match="symbolic links are not allowed"):
        overlay_workspace(starter, overlay, tmp_path / "ws")

    assert not (tmp_path / "ws" / "etc").exists()
