"""The authoring commands: validate_lab, grade and load_content, on real bundles and bad ones."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from labs.models import Lab, LabVersion
from tests.factories import LABS

pytestmark = pytest.mark.django_db


@pytest.mark.sandbox
@pytest.mark.parametrize("slug", ["flask-debug-console", "django-raw-sql-search"])
def test_pilot_labs_pass_every_validation_rule(slug: str, capsys) -> None:
    call_command("validate_lab", str(LABS / slug))
    out = capsys.readouterr().out
    assert out.count(" ok ") >= 6 and "FAILED" not in out
    assert f"{slug}: valid." in out


@pytest.mark.sandbox
def test_a_bundle_whose_solution_fixes_nothing_is_invalid(tmp_path: Path, capsys) -> None:
    # The sandbox engine's fixture lab: its solution overlays app.py only.
    bundle = tmp_path / "flask-notes"
    shutil.copytree(Path(__file__).parents[1] / "sandbox" / "fixtures" / "flask-notes", bundle)
    shutil.copy(bundle / "app" / "app.py", bundle / "solution" / "app.py")
    with pytest.raises(CommandError, match="validation failed"):
        call_command("validate_lab", str(bundle))
    out = capsys.readouterr().out
    assert "2. starter + solution passes every check" in out and "FAILED" in out


@pytest.mark.sandbox
def test_a_check_without_a_test_is_reported(tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "flask-debug-console"
    shutil.copytree(LABS / "flask-debug-console", bundle)
    toml = bundle / "lab.toml"
    toml.write_text(
        toml.read_text()
        + '\n[[checks]]\ntest = "test_that_does_not_exist"\ntitle = "Ghost"\nkind = "security"\n'
    )
    with pytest.raises(CommandError):
        call_command("validate_lab", str(bundle))
    assert "test_that_does_not_exist" in capsys.readouterr().out


@pytest.mark.sandbox
def test_grade_prints_the_verdict_json_of_the_format(capsys) -> None:
    call_command(
        "grade",
        str(LABS / "flask-debug-console"),
        str(LABS / "flask-debug-console/solution"),
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "passed"
    assert set(data) == {"verdict", "checks", "duration_ms"}
    assert set(data["checks"][0]) == {"test", "title", "kind", "outcome", "duration_ms"}


def test_grade_explains_a_wrong_target() -> None:
    with pytest.raises(CommandError, match="neither a bundle folder nor a known lab"):
        call_command("grade", "no-such-lab", "/tmp")


@pytest.mark.parametrize("host_folder", ["/root", "/"])
def test_grade_refuses_a_workspace_linking_to_host_folders(
    tmp_path: Path, host_folder: str
) -> None:
    workspace = tmp_path / "workspace"
    shutil.copytree(LABS / "flask-debug-console/solution", workspace)
    (workspace / "host").symlink_to(host_folder)

    started = time.monotonic()
    with pytest.raises(CommandError, match="symbolic links are not allowed") as caught:
        call_command("grade", str(LABS / "flask-debug-console"), str(workspace))

    assert time.monotonic() - started < 5  # refused at once, no host file copied
    assert "'host'" in str(caught.value)


def test_grade_refuses_a_fifo_or_a_hard_link_in_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    os.mkfifo(workspace / "pipe")
    with pytest.raises(CommandError, match="FIFO"):
        call_command("grade", str(LABS / "flask-debug-console"), str(workspace))

    (workspace / "pipe").unlink()
    secret = tmp_path / "secret.txt"
    secret.write_text("host secret\n")
    os.link(secret, workspace / "app.py")
    with pytest.raises(CommandError, match="hard link"):
        call_command("grade", str(LABS / "flask-debug-console"), str(workspace))


@pytest.mark.sandbox
def test_load_content_is_idempotent_and_publishes_valid_labs(tmp_path: Path, capsys) -> None:
    labs_dir = tmp_path / "labs"
    labs_dir.mkdir()
    shutil.copytree(LABS / "flask-debug-console", labs_dir / "flask-debug-console")
    call_command("load_content", "--content-dir", str(tmp_path))
    assert "1 created" in capsys.readouterr().out
    lab = Lab.objects.get(slug="flask-debug-console")
    assert lab.is_published
    call_command("load_content", "--content-dir", str(tmp_path))
    assert "0 created, 1 unchanged" in capsys.readouterr().out
    assert LabVersion.objects.count() == 1


def test_load_content_stops_on_a_broken_lab_toml(tmp_path: Path) -> None:
    labs_dir = tmp_path / "labs"
    bundle = labs_dir / "broken"
    shutil.copytree(LABS / "flask-debug-console", bundle)
    (bundle / "lab.toml").write_text('slug = "broken"\nframework = "rails"\n')
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("load_content", "--content-dir", str(tmp_path))
    assert not Lab.objects.exists()
