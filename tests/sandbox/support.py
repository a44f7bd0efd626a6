"""Helpers shared by the sandbox engine's tests."""

from __future__ import annotations

import pwd
import subprocess
from pathlib import Path

from labs.sandbox import SandboxConfig

FIXTURES = Path(__file__).parent / "fixtures"
LAB_DIR = FIXTURES / "flask-notes"
HOSTILE_DIR = FIXTURES / "hostile"
#: Every check of this lab takes ~0.3 s, so results arrive one by one (live progress).
SLOW_LAB_DIR = FIXTURES / "flask-slow"


def slot_uids(config: SandboxConfig) -> set[int]:
    uids = set()
    for slot in range(config.slots):
        for name in config.user_names(slot):
            uids.add(pwd.getpwnam(name).pw_uid)
    return uids


def processes_of_sandbox_users(config: SandboxConfig) -> list[str]:
    """What ``ps`` lists for the sandbox users (the check an operator would run by hand)."""
    uids = slot_uids(config)
    listing = subprocess.run(
        ["ps", "-eo", "uid=,pid=,stat=,args="], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in listing.splitlines() if int(line.split()[0]) in uids]
