"""The authoring commands: validate_lab, grade and load_content, on real bundles and bad ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from labs.models import Lab, LabVersion
from tests.labs.fixtures import LABS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["flask-debug-console", "django-raw-sql-search"])
def test_pilot_labs_pass_every_validation_rule(slug: str, capsys) -> None:
    call_command("validate_lab", str(LABS / slug))
    out = capsys.readouterr().out
    assert out.count(" ok ") >= 6 and "FAILED" not in out
    assert f"{slug}: valid." in out


def test_a_bundle_whose_solution_fixes_nothing_is_invalid(tmp_path: Path, capsys) -> None:
    bundle = tmp_path / "flask-debug-console"
    shutil.copytree(LABS / "flask-debug-console", bundle)
    shutil.rmtree(bundle / "solution")
    (bundle / "solution").mkdir()
    with pytest.raises(CommandError, match="validation failed"):
        call_command("validate_lab", str(bundle))
    out = capsys.readouterr().out
    assert "2. starter + solution passes every check" in out and "FAILED" in out


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
