"""lab.toml validation and the engine's refusals (no sandbox is started by these tests)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from labs.sandbox import (
    CheckKind,
    CheckSpec,
    Excerpt,
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
        ('flag_env = "LAB_FLAG"', 'flag_env = "LAB_FLAG"\nmode = "burst"', "exploit.mode must be"),
        ('expect = "broken"', 'expect = "passed"', "expect must be"),
    ],
)
def test_bad_lab_toml_is_refused(bundle: Path, old: str, new: str, problem: str) -> None:
    rewrite(bundle, old, new)

    with pytest.raises(LabBundleError) as excinfo:
        load_lab(bundle)

    assert any(problem in message for message in excinfo.value.problems), excinfo.value.problems


def test_exploit_scripts_become_security_checks_titled_by_their_docstring() -> None:
    spec = load_lab(LAB_DIR)

    assert [script.name for script in spec.exploit_scripts] == [
        "solve",
        "password-field",
        "union-select",
    ]
    assert [script.name for script in spec.variants] == ["password-field", "union-select"]
    assert spec.exploit_checks[1] == CheckSpec(
        test="exploit:password-field",
        title="Inject through the password field instead of the username.",
        kind=CheckKind.SECURITY,
    )
    assert spec.all_checks == spec.checks + spec.exploit_checks
    # lab.toml does not list them: the scripts are their declaration.
    assert not any(check.test.startswith("exploit:") for check in spec.checks)


def test_an_exploit_script_without_a_docstring_gets_a_title_from_its_name(bundle: Path) -> None:
    (bundle / "exploit" / "solve.py").write_text("client.get('/')\n")
    (bundle / "exploit" / "variants" / "double_quote.py").write_text("client.get('/')\n")

    titles = {check.test: check.title for check in load_lab(bundle).exploit_checks}

    assert titles["exploit:solve"] == "The reference exploit does not get the flag"
    assert titles["exploit:double_quote"] == "Exploit variant: double quote"


@pytest.mark.parametrize(
    ("name", "source", "problem"),
    [
        ("solve.py", "client.get('/')", "'solve' is the reference exploit's name"),
        ("two words.py", "client.get('/')", "a variant's name must be"),
        ("broken.py", "client.get('/'", "is not valid Python"),
    ],
)
def test_bad_exploit_variants_are_refused(
    bundle: Path, name: str, source: str, problem: str
) -> None:
    (bundle / "exploit" / "variants" / name).write_text(source)

    with pytest.raises(LabBundleError) as excinfo:
        load_lab(bundle)

    assert any(problem in message for message in excinfo.value.problems), excinfo.value.problems


def test_catalogue_keys_are_read_when_present() -> None:
    spec = load_lab(LAB_DIR)

    assert spec.vulnerability_class == "sql-injection"
    assert spec.estimated_minutes == 10
    assert spec.compare is not None
    assert spec.compare.vulnerable == (Excerpt("app", "app.py", 26, 34),)
    assert spec.compare.fixed == (Excerpt("solution", "app.py", 26, 33),)
    assert spec.compare.defaults.startswith("Flask has no ORM")


def test_a_bundle_without_the_catalogue_keys_still_loads(bundle: Path) -> None:
    text = (bundle / "lab.toml").read_text()
    text = text.replace('vulnerability_class = "sql-injection"\n', "")
    text = text.replace("estimated_minutes = 10\n", "")
    head, tail = text.split("[compare]")
    (bundle / "lab.toml").write_text(head + "[[checks]]" + tail.split("[[checks]]", 1)[1])

    spec = load_lab(bundle)

    assert (spec.vulnerability_class, spec.compare, spec.estimated_minutes) == ("", None, None)


def test_a_fixed_excerpt_may_name_a_file_the_solution_does_not_overlay(bundle: Path) -> None:
    (bundle / "app" / "models.py").write_text("one\ntwo\nthree\n")
    rewrite(bundle, 'fixed = ["app.py:26-33"]', 'fixed = ["app.py:26-33", "models.py:2-3"]')

    spec = load_lab(bundle)

    assert spec.compare is not None
    assert spec.compare.fixed[1] == Excerpt("app", "models.py", 2, 3)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'vulnerability_class = "sql-injection"',
            'vulnerability_class = "sqli"',
            "vulnerability_class must be one of sql-injection, broken-access-control",
        ),
        ("estimated_minutes = 10", "estimated_minutes = 0", "estimated_minutes must be a positive"),
        ("estimated_minutes = 10", 'estimated_minutes = "10"', "estimated_minutes must be"),
        (
            'vulnerable = ["app.py:26-34"]',
            'vulnerable = ["app.py:26-99"]',
            "compare.vulnerable: 'app.py:26-99': lines 26-99 are not inside app/app.py (34 lines)",
        ),
        (
            'vulnerable = ["app.py:26-34"]',
            'vulnerable = ["app.py:34-26"]',
            "lines 34-26 are not inside app/app.py",
        ),
        (
            'vulnerable = ["app.py:26-34"]',
            'vulnerable = ["views.py:1-2"]',
            "compare.vulnerable: 'views.py:1-2': views.py is not a file in app/",
        ),
        (
            'fixed = ["app.py:26-33"]',
            'fixed = ["views.py:1-2"]',
            "views.py is not a file in solution/ or app/",
        ),
        ('vulnerable = ["app.py:26-34"]', 'vulnerable = ["app.py"]', 'like "path:first-last"'),
        ('vulnerable = ["app.py:26-34"]', 'vulnerable = ["../x.py:1-2"]', "climb out"),
        ('fixed = ["app.py:26-33"]', "fixed = []", "compare.fixed must be a non-empty list"),
        (
            'defaults = """\nFlask has no ORM: `sqlite3` parameters (`?`) are the defence.\n"""',
            'defaults = " "',
            "compare.defaults must be a non-empty string",
        ),
    ],
)
def test_bad_catalogue_keys_are_refused_with_a_clear_problem(
    bundle: Path, old: str, new: str, problem: str
) -> None:
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
