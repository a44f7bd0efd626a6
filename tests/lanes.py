"""The suite's lanes: which tests need the real sandbox, a Celery worker or a browser.

``make test`` runs every lane; ``make test-fast`` leaves out the ``sandbox``, ``worker`` and
``e2e`` markers (registered in pyproject.toml). This plugin, registered in tests/conftest.py,
keeps the ``sandbox`` marker honest, and runs the tests that use neither the database nor the broker
(``layout``, ``articles``, the sandbox engine's own) on the first lane only:

- a test using a fixture that starts the sandbox (or a worker) gets the marker automatically;
- a ``sandbox`` test on a machine where the sandbox cannot run (no bubblewrap, not root, runtimes
  or slot users missing) is skipped with the reason and the command that fixes it, or fails when
  ``PATCHWISE_REQUIRE_SANDBOX=1`` (CI sets it), so a broken machine never passes by skipping;
- a test without the marker that starts a sandbox anyway fails, naming the marker, so the fast
  lane never comes to need the sandbox by accident.
"""

from __future__ import annotations

import functools
import os
import pwd
import sys
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from labs.sandbox import FRAMEWORKS, SandboxConfig, SandboxUnavailable
from labs.sandbox import bwrap as sandbox_processes

#: Fixtures that start a sandbox (or hand one to the test), and fixtures that start a worker.
SANDBOX_FIXTURES = frozenset({"sandbox_config"})
WORKER_FIXTURES = frozenset({"start_worker"})
#: The functions through which the engine starts every sandboxed process.
ENTRY_POINTS = ("spawn", "run_probe")
REQUIRE_SANDBOX = "PATCHWISE_REQUIRE_SANDBOX"
PROVISION = "`make sandbox` (or `sudo .venv/bin/python -m labs.sandbox.provision`)"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & SANDBOX_FIXTURES:
            item.add_marker(pytest.mark.sandbox)
        if names & WORKER_FIXTURES:
            item.add_marker(pytest.mark.worker)


def sandbox_unavailable_reason(config: SandboxConfig) -> str:
    """Why the sandbox cannot run on this machine, or "" when it can."""
    try:
        for framework in FRAMEWORKS:
            sandbox_processes.check_available(config, framework)
    except SandboxUnavailable as exc:
        return str(exc)
    missing = []
    for slot in range(config.slots):
        for name in config.user_names(slot):
            try:
                pwd.getpwnam(name)
            except KeyError:
                missing.append(name)
    if missing:
        return f"sandbox user {missing[0]} does not exist ({len(missing)} missing)"
    return ""


@functools.cache
def _reason_here() -> str:
    """Checked once per test process: it does not change during a run."""
    return sandbox_unavailable_reason(SandboxConfig.from_env())


def sandbox_required() -> bool:
    return os.environ.get(REQUIRE_SANDBOX, "").strip().lower() in {"1", "true", "yes", "on"}


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def once_only(item: pytest.Item) -> str:
    """Why a test learns nothing more from a second run on PostgreSQL and Redis, or ""."""
    if item.get_closest_marker("layout") is not None:
        # The browser draws the same HTML from either database; the crawl tests render every
        # page on PostgreSQL.
        return "layout and axe checks run once, on the embedded-default lane"
    if item.get_closest_marker("articles") is not None:
        return "article code blocks use no database or broker: they run on the first lane"
    if item.nodeid.startswith("tests/sandbox/"):
        return "the sandbox engine uses no database or broker: its tests run on the first lane"
    return ""


@pytest.hookimpl(tryfirst=True)  # before any fixture of the test is set up
def pytest_runtest_setup(item: pytest.Item) -> None:
    if on_postgresql() and (reason := once_only(item)):
        pytest.skip(reason)
    if item.get_closest_marker("sandbox") is None:
        return
    reason = _reason_here()
    if not reason:
        return
    message = f"the grading sandbox cannot run here: {reason}. Set it up with {PROVISION}"
    if sandbox_required():
        pytest.fail(f"{REQUIRE_SANDBOX}=1 and {message}", pytrace=False)
    pytest.skip(message)


#: The real functions, taken before any test replaces them.
REAL_ENTRY_POINTS = {getattr(sandbox_processes, name): name for name in ENTRY_POINTS}


def entry_points() -> Iterator[tuple[ModuleType, str]]:
    """Every place an entry point is bound (``from .bwrap import spawn`` makes a second one)."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("labs.sandbox"):
            continue
        for name in ENTRY_POINTS:
            bound = getattr(module, name, None)
            if bound in REAL_ENTRY_POINTS or getattr(bound, "refuses", None) == name:
                yield module, name


def _refuse(name: str) -> Callable[..., None]:
    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(
            f"this test starts the real sandbox ({name}) but is not marked: add "
            "`@pytest.mark.sandbox` (or use a fixture of tests/lanes.py SANDBOX_FIXTURES), so "
            "that `make test-fast` never needs the sandbox",
            pytrace=False,
        )

    refuse.refuses = name  # type: ignore[attr-defined]
    return refuse


@pytest.fixture(autouse=True)
def _sandbox_only_when_marked(request: pytest.FixtureRequest, monkeypatch) -> None:
    if request.node.get_closest_marker("sandbox") is not None:
        return
    for module, name in entry_points():
        monkeypatch.setattr(module, name, _refuse(name))
