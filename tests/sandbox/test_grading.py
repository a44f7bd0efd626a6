"""grade() on the fixture lab: the verdicts a lab bundle is validated with, and what a learner
sees."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from labs.sandbox import GradeResult, Outcome, SandboxConfig, Verdict, grade

CHECK_KEYS = {"test", "title", "kind", "outcome", "duration_ms"}


def outcomes(result: GradeResult) -> dict[str, Outcome]:
    return {check.test: check.outcome for check in result.checks}


def test_reference_fix_passes(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    result = grade(
        lab=lab_dir, workspace=make_workspace(lab_dir / "solution"), config=sandbox_config
    )

    assert result.verdict == Verdict.PASSED, result.grader_log
    assert result.reason == ""
    assert set(outcomes(result).values()) == {Outcome.PASSED}
    assert result.test_output is None  # hidden run: no pytest output for the learner


def test_starter_is_still_exploitable(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    result = grade(lab=lab_dir, workspace=make_workspace(), config=sandbox_config)

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log
    assert outcomes(result) == {
        "test_home_page": Outcome.PASSED,
        "test_login_with_right_password": Outcome.PASSED,
        "test_login_with_wrong_password_fails": Outcome.PASSED,
        "test_login_rejects_sql_injection": Outcome.FAILED,
        # The lab's exploit scripts, run as security checks: each brought the flag back.
        "exploit:solve": Outcome.FAILED,
        "exploit:password-field": Outcome.FAILED,
        "exploit:union-select": Outcome.FAILED,
    }


def test_fix_that_breaks_a_feature_is_broken(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(lab_dir / "bad_fixes" / "no-login")

    result = grade(lab=lab_dir, workspace=workspace, config=sandbox_config)

    assert result.verdict == Verdict.BROKEN, result.grader_log
    assert outcomes(result)["test_login_with_right_password"] == Outcome.FAILED
    assert outcomes(result)["test_login_rejects_sql_injection"] == Outcome.PASSED


def test_json_matches_lab_format(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    result = grade(lab=lab_dir, workspace=make_workspace(), config=sandbox_config)

    data = json.loads(result.to_json())

    assert set(data) == {"verdict", "checks", "duration_ms"}
    assert data["verdict"] == "still_exploitable"
    assert [check["test"] for check in data["checks"]] == [
        "test_home_page",
        "test_login_with_right_password",
        "test_login_with_wrong_password_fails",
        "test_login_rejects_sql_injection",
        "exploit:solve",
        "exploit:password-field",
        "exploit:union-select",
    ]
    assert all(set(check) == CHECK_KEYS for check in data["checks"])
    assert data["checks"][3]["title"] == "A quote in the username cannot bypass the login"
    assert data["checks"][3]["kind"] == "security"
    assert isinstance(data["duration_ms"], int) and data["duration_ms"] > 0


def test_hidden_failures_say_nothing_about_the_test(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    result = grade(lab=lab_dir, workspace=make_workspace(), config=sandbox_config)

    failed = next(check for check in result.checks if check.outcome == Outcome.FAILED)
    assert failed.message == "This check failed."
    learner_visible = (
        json.dumps(result.as_dict()) + result.reason + "".join(c.message for c in result.checks)
    )
    assert "assert" not in learner_visible
    assert "HIDDEN-TEST-SOURCE-MARKER" not in learner_visible
    # Staff can still see what happened.
    assert "test_login_rejects_sql_injection" in result.grader_log


def test_public_run_returns_pytest_output(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    workspace = make_workspace(lab_dir / "bad_fixes" / "no-login")

    result = grade(lab=lab_dir, workspace=workspace, tests="tests/public", config=sandbox_config)

    assert result.verdict == Verdict.BROKEN
    assert [check.test for check in result.checks] == [
        "test_home_page",
        "test_login_with_right_password",
    ]
    assert result.checks[1].outcome == Outcome.FAILED
    assert "alice should be able to log in" in result.checks[1].message
    assert result.test_output is not None
    assert "1 failed, 1 passed" in result.test_output


def test_public_run_of_reference_fix_passes(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    result = grade(
        lab=lab_dir,
        workspace=make_workspace(lab_dir / "solution"),
        tests="tests/public",
        config=sandbox_config,
    )

    assert result.verdict == Verdict.PASSED, result.grader_log
    assert result.test_output is not None and "2 passed" in result.test_output


def test_learner_files_on_the_host_are_not_touched(
    sandbox_config: SandboxConfig, lab_dir: Path, hostile_workspace: Callable[[str], Path]
) -> None:
    workspace = hostile_workspace("whoami")  # appends a line to its own app.py when imported
    before = (workspace / "app.py").read_text()

    grade(lab=lab_dir, workspace=workspace, config=sandbox_config)

    assert (workspace / "app.py").read_text() == before
    assert sorted(path.name for path in workspace.iterdir()) == ["app.py"]


def test_a_check_that_names_no_test_is_a_grader_error(
    sandbox_config: SandboxConfig,
    lab_dir: Path,
    make_workspace: Callable[..., Path],
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(lab_dir, bundle)
    with (bundle / "lab.toml").open("a") as handle:
        handle.write(
            '\n[[checks]]\ntest = "test_that_does_not_exist"\ntitle = "Ghost"\nkind = "security"\n'
        )

    result = grade(lab=bundle, workspace=make_workspace(bundle / "solution"), config=sandbox_config)

    assert result.verdict == Verdict.GRADER_ERROR
    assert outcomes(result)["test_that_does_not_exist"] == Outcome.NOT_RUN


def test_a_hidden_test_that_cannot_import_is_a_grader_error(
    sandbox_config: SandboxConfig,
    lab_dir: Path,
    make_workspace: Callable[..., Path],
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(lab_dir, bundle)
    (bundle / "tests" / "hidden" / "test_broken.py").write_text(
        "import module_that_is_not_installed\n"
    )

    result = grade(lab=bundle, workspace=make_workspace(bundle / "solution"), config=sandbox_config)

    assert result.verdict == Verdict.GRADER_ERROR
    assert not any(check.passed for check in result.checks)


def test_concurrent_gradings_use_separate_slots(
    sandbox_config: SandboxConfig, lab_dir: Path, make_workspace: Callable[..., Path]
) -> None:
    fixed = make_workspace(lab_dir / "solution")
    starter = make_workspace()

    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = [
            pool.submit(grade, lab=lab_dir, workspace=workspace, config=sandbox_config)
            for workspace in (fixed, starter, fixed)
        ]
        results = [future.result() for future in futures]

    assert [result.verdict for result in results] == [
        Verdict.PASSED,
        Verdict.STILL_EXPLOITABLE,
        Verdict.PASSED,
    ]
    slots = {
        line
        for result in results
        for line in result.grader_log.splitlines()
        if line.startswith("slot=")
    }
    assert len(slots) == 3


def test_a_sandbox_that_cannot_start_is_a_grader_error(
    sandbox_config: SandboxConfig,
    lab_dir: Path,
    make_workspace: Callable[..., Path],
    tmp_path: Path,
) -> None:
    # The runtime behind a folder the sandbox users cannot enter: bubblewrap fails to set up.
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "flask").symlink_to(sandbox_config.runtime_dir("flask"))
    config = replace(sandbox_config, runtimes_dir=private)

    result = grade(lab=lab_dir, workspace=make_workspace(), config=config)

    assert result.verdict == Verdict.GRADER_ERROR, result.grader_log
    assert result.app_stderr == ""  # bubblewrap's message is for staff
    assert "bwrap" in result.grader_log
