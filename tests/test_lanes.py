"""The lanes of the suite (tests/lanes.py): the ``sandbox`` marker cannot silently go missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from labs.sandbox import SandboxConfig, runner
from labs.sandbox import bwrap as sandbox_processes
from tests import lanes


def test_an_unmarked_test_that_starts_a_sandbox_fails_naming_the_marker() -> None:
    for start in (runner.spawn, sandbox_processes.spawn, sandbox_processes.run_probe):
        with pytest.raises(pytest.fail.Exception, match=r"mark\.sandbox"):
            start(None, None, keep_bytes=0)


def test_the_guard_finds_where_the_engine_starts_processes() -> None:
    # Empty would mean the engine's entry points were renamed and the guard guards nothing.
    assert {(module.__name__, name) for module, name in lanes.entry_points()} >= {
        ("labs.sandbox.runner", "spawn"),
    }


def test_a_machine_without_bubblewrap_gets_a_reason_with_the_fix(tmp_path: Path) -> None:
    config = SandboxConfig(bwrap=tmp_path / "no-bwrap")
    assert "apt-get install bubblewrap" in lanes.sandbox_unavailable_reason(config)


def test_missing_runtimes_are_a_reason_naming_the_provisioning_command(tmp_path: Path) -> None:
    config = SandboxConfig(runtimes_dir=tmp_path / "runtimes")
    reason = lanes.sandbox_unavailable_reason(config)
    assert reason and ("labs.sandbox.provision" in reason or "root" in reason)


@pytest.mark.parametrize(("value", "required"), [("1", True), ("", False), ("0", False)])
def test_patchwise_require_sandbox_turns_the_skip_into_a_failure(
    monkeypatch, value: str, required: bool
) -> None:
    monkeypatch.setenv(lanes.REQUIRE_SANDBOX, value)
    assert lanes.sandbox_required() is required


@pytest.mark.sandbox
def test_a_marked_test_may_start_the_real_engine() -> None:
    assert runner.spawn is sandbox_processes.spawn
