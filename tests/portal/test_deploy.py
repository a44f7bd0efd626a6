"""The files under ``deploy/`` that an operator copies: they must describe a working deployment.

Each test reads a file as its program would (gunicorn its config, Django the environment file,
systemd the units) and checks what the README's production section promises about it.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from labs.services.bundles import MAX_TOTAL_BYTES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
KEY = "deploy-test-" + "k" * 50


def _env(**extra: str) -> dict[str, str]:
    """A clean environment: nothing of the developer's or of the test run leaks in."""
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(extra)
    return env


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name)
    return parser["Service"]


def test_the_environment_file_passes_the_deploy_check(tmp_path: Path) -> None:
    """The example with only its secret filled in gives a clean ``check --deploy``."""
    text = (DEPLOY / "patchwise.env.example").read_text()
    env_file = tmp_path / "patchwise.env"
    env_file.write_text(text.replace("\nSECRET_KEY=\n", f"\nSECRET_KEY={KEY}\n"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(PATCHWISE_ENV_FILE=str(env_file), PATCHWISE_VAR_DIR=str(tmp_path / "var")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_environment_file_leaves_the_secret_empty() -> None:
    """No secret is shipped: the example's key and passwords are blank for the operator."""
    values = dict(
        line.split("=", 1)
        for line in (DEPLOY / "patchwise.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["SECRET_KEY"] == "" and values["EMAIL_HOST_PASSWORD"] == ""
    assert values["DEBUG"] == "0"


def test_gunicorn_accepts_its_config(tmp_path: Path) -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT,
        env=_env(
            DEBUG="0",
            SECRET_KEY=KEY,
            ALLOWED_HOSTS="patchwise.example.com",
            PATCHWISE_ENV_FILE=os.devnull,
            PATCHWISE_VAR_DIR=str(tmp_path),
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit", ["patchwise-web.service", "patchwise-beat.service"])
def test_web_and_beat_run_without_privileges(unit: str) -> None:
    service = _unit(unit)
    assert service["User"] == "patchwise"
    assert service["NoNewPrivileges"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert service["ProtectSystem"] == "strict"


def test_only_the_worker_runs_as_root_and_each_has_its_own_node_name() -> None:
    """The sandbox switches to per-slot users, so the worker is root; ``%i@%H`` gives every
    instance on every machine its own Celery node name."""
    service = _unit("patchwise-worker@.service")
    assert service["User"] == "root"
    assert "--hostname=worker%i@%H" in service["ExecStart"]
    assert int(service["TimeoutStopSec"]) >= 180  # a grading in hand may finish (warm shutdown)


@pytest.mark.parametrize("unit", sorted(p.name for p in UNITS.glob("*.service")))
def test_units_start_programs_that_exist(unit: str) -> None:
    service = _unit(unit)
    program = service["ExecStart"].split()[0]
    assert program.startswith("/srv/patchwise/.venv/bin/")
    assert Path(sys.executable).with_name(Path(program).name).exists()
    assert service["EnvironmentFile"] == "/etc/patchwise/patchwise.env"
    assert service["WorkingDirectory"] == "/srv/patchwise"


def test_the_proxy_accepts_the_largest_lab_bundle() -> None:
    text = (DEPLOY / "nginx" / "patchwise.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", text)
    assert size and int(size.group(1)) * 1024 * 1024 > MAX_TOTAL_BYTES
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
