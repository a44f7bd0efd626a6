"""lab.toml validation and the engine's refusals (no sandbox is started by these tests)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from labs.sandbox import (
    LabBundleError,
    Limits,
    SandboxConfig,
    SandboxError,
    SandboxUnavailable,
    grade,
    load_lab,
    run_exploit,
)

from .support import LAB_DIR


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(LAB_DIR, target)
    return target


def rewrite(bundle: Path, old: str, new: str) -> None:
    toml = bundle / "lab.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new))


def test_fixture_lab_loads() -> None:
    spec = load_lab(LAB_DIR)

    assert spec.framework == "flask"
    assert spec.entrypoint == "app:app"
    assert spec.interface == "wsgi"
    assert spec.env == {"NOTES_GREETING": "Welcome to Notes"}
    assert (spec.wall_seconds, spec.memory_mb) == (10.0, 256)
    assert [check.kind for check in spec.checks] == ["functional"] * 3 + ["security"]
    assert spec.exploit is not None and spec.exploit.flag_env == "LAB_FLAG"
    assert spec.bad_fixes[0].expect == "broken"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('framework = "flask"', 'framework = "rails"', "framework must be one of"),
        ('entrypoint = "app:app"', 'entrypoint = "app"', "app.entrypoint must look like"),
        (
            'entrypoint = "app:app"',
            'entrypoint = "missing:app"',
            "module missing.py is not in app/",
        ),
        ('interface = "wsgi"', 'interface = "cgi"', "app.interface must be wsgi or asgi"),
        (
            'env = { NOTES_GREETING = "Welcome to Notes" }',
            'env = { LD_PRELOAD = "x.so" }',
            "reserved",
        ),
        ('env = { NOTES_GREETING = "Welcome to Notes" }', "env = { PATH = '/evil' }", "reserved"),
        ("wall_seconds = 10", "wall_seconds = -1", "limits.wall_seconds"),
        ("memory_mb = 256", 'memory_mb = "lots"', "limits.memory_mb"),
        ('kind = "security"', 'kind = "style"', "kind must be security or functional"),
        ('test = "test_home_page"', 'test = "test_home_page()"', "must be a test function name"),
        ('flag_env = "LAB_FLAG"', 'flag_env = "PYTHONPATH"', "reserved"),
        ('expect = "broken"', 'expect = "passed"', "expect must be"),
    ],
)
def test_bad_lab_toml_is_refused(bundle: Path, old: str, new: str, problem: str) -> None:
    rewrite(bundle, old, new)

    with pytest.raises(LabBundleError) as excinfo:
        load_lab(bundle)

    assert any(problem in message for message in excinfo.value.problems), excinfo.value.problems


def test_every_problem_is_listed_at_once(bundle: Path) -> None:
    rewrite(bundle, 'framework = "flask"', 'framework = "rails"')
    rewrite(bundle, 'interface = "wsgi"', 'interface = "cgi"')

    with pytest.raises(LabBundleError) as excinfo:
        load_lab(bundle)

    assert len(excinfo.value.problems) == 2


def test_missing_or_unparsable_lab_toml(bundle: Path) -> None:
    (bundle / "lab.toml").write_text("slug = ")
    with pytest.raises(LabBundleError, match="cannot be read"):
        load_lab(bundle)
    (bundle / "lab.toml").unlink()
    with pytest.raises(LabBundleError, match=r"lab\.toml is missing"):
        load_lab(bundle)


def test_lab_without_checks_is_refused(bundle: Path) -> None:
    text = (bundle / "lab.toml").read_text()
    (bundle / "lab.toml").write_text(text.split("[[checks]]")[0])

    with pytest.raises(LabBundleError, match="at least one"):
        load_lab(bundle)


def test_lab_limits_are_clamped_by_the_operator() -> None:
    limits = Limits(max_wall_seconds=5, max_memory_mb=128).for_lab(30, 512)

    assert (limits.wall_seconds, limits.memory_mb) == (5, 128)
    assert Limits().for_lab(None, None) == Limits()
    assert Limits().app_rlimits().address_space == (256 + 768) * 1024 * 1024


def test_missing_bubblewrap_is_reported_not_bypassed(tmp_path: Path) -> None:
    config = replace(SandboxConfig(), bwrap=tmp_path / "no-bwrap")

    with pytest.raises(SandboxUnavailable, match="bubblewrap is not installed"):
        grade(lab=LAB_DIR, workspace=LAB_DIR / "app", config=config)
    with pytest.raises(SandboxUnavailable, match="bubblewrap is not installed"):
        run_exploit(lab=LAB_DIR, workspace=LAB_DIR / "app", script="pass", config=config)


def test_missing_runtime_is_reported(tmp_path: Path) -> None:
    config = replace(SandboxConfig(), runtimes_dir=tmp_path / "runtimes")

    with pytest.raises(SandboxUnavailable, match="runtime is not built"):
        grade(lab=LAB_DIR, workspace=LAB_DIR / "app", config=config)


def test_tests_folder_must_be_inside_the_bundle() -> None:
    with pytest.raises(SandboxError, match="folder under the bundle"):
        grade(lab=LAB_DIR, workspace=LAB_DIR / "app", tests="../../etc")


def test_exploit_needs_exactly_one_of_script_or_request() -> None:
    with pytest.raises(SandboxError, match="exactly one"):
        run_exploit(lab=LAB_DIR, workspace=LAB_DIR / "app")
