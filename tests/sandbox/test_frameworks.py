"""The ASGI (FastAPI + uvicorn) and Django paths, on two minimal fixture labs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from labs.sandbox import SandboxConfig, Verdict, grade, run_exploit

from .support import FIXTURES

FASTAPI_LAB = FIXTURES / "fastapi-echo"
DJANGO_LAB = FIXTURES / "django-hello"


@pytest.fixture(scope="module")
def runtimes(sandbox_config: SandboxConfig) -> SandboxConfig:
    for framework in ("fastapi", "django"):
        if not (sandbox_config.runtime_dir(framework) / ".patchwise-runtime.json").exists():
            pytest.fail(
                f"runtime {framework} not built: run `python -m labs.sandbox.provision` as root"
            )
    return sandbox_config


def workspace(tmp_path: Path, lab: Path, overlay: str | None = None) -> Path:
    target = tmp_path / "workspace"
    shutil.copytree(lab / "app", target)
    if overlay:
        shutil.copytree(lab / overlay, target, dirs_exist_ok=True)
    return target


def test_fastapi_starter_is_still_exploitable(runtimes: SandboxConfig, tmp_path: Path) -> None:
    result = grade(lab=FASTAPI_LAB, workspace=workspace(tmp_path, FASTAPI_LAB), config=runtimes)

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log


def test_fastapi_fix_passes(runtimes: SandboxConfig, tmp_path: Path) -> None:
    result = grade(
        lab=FASTAPI_LAB, workspace=workspace(tmp_path, FASTAPI_LAB, "solution"), config=runtimes
    )

    assert result.verdict == Verdict.PASSED, result.grader_log


def test_fastapi_exploit_gets_the_flag(runtimes: SandboxConfig) -> None:
    result = run_exploit(
        lab=FASTAPI_LAB,
        workspace=FASTAPI_LAB / "app",
        script="print(client.get('/debug').text)",
        config=runtimes,
    )

    assert result.flag_found, result.grader_log


def test_fastapi_failing_lifespan_does_not_start(runtimes: SandboxConfig, tmp_path: Path) -> None:
    target = workspace(tmp_path, FASTAPI_LAB)
    main = target / "main.py"
    main.write_text(
        main.read_text().replace(
            "    yield\n", "    raise RuntimeError('no database')\n    yield\n"
        )
    )

    result = grade(lab=FASTAPI_LAB, workspace=target, config=runtimes)

    assert result.verdict == Verdict.DOES_NOT_START, result.grader_log
    assert "no database" in result.app_stderr


def test_django_starter_is_still_exploitable(runtimes: SandboxConfig, tmp_path: Path) -> None:
    result = grade(lab=DJANGO_LAB, workspace=workspace(tmp_path, DJANGO_LAB), config=runtimes)

    assert result.verdict == Verdict.STILL_EXPLOITABLE, result.grader_log


def test_django_fix_passes_public_and_hidden(runtimes: SandboxConfig, tmp_path: Path) -> None:
    fixed = workspace(tmp_path, DJANGO_LAB, "solution")

    hidden = grade(lab=DJANGO_LAB, workspace=fixed, config=runtimes)
    public = grade(lab=DJANGO_LAB, workspace=fixed, tests="tests/public", config=runtimes)

    assert hidden.verdict == Verdict.PASSED, hidden.grader_log
    assert public.verdict == Verdict.PASSED, public.grader_log
