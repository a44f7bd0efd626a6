"""Runtime settings for Standup, read from the environment.

Every value has a default so that a fresh checkout runs with no setup at all.
"""

from __future__ import annotations

import os


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch such as ``STANDUP_DEBUG=1`` or ``STANDUP_DEBUG=off``."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Signs the flash messages shown after posting an update.
SECRET_KEY = os.environ.get("STANDUP_SECRET_KEY", "dev-only-change-me")

# Where the SQLite database lives. Relative paths are resolved against the
# Flask instance folder, so the default ends up in ./instance/standup.sqlite3.
DATABASE = os.environ.get("STANDUP_DATABASE", "standup.sqlite3")

# How many updates the dashboard shows per page.
UPDATES_PER_PAGE = 10

# Debug mode: Flask propagates errors, and standup/__init__.py mounts
# Werkzeug's interactive debugger so a crash shows its traceback in the
# browser. Turned on while we chased the intermittent 500s on staging.
DEBUG = env_bool("STANDUP_DEBUG", default=True)

# Unlocks the debugger console. Share it with the team, not the world.
DEBUGGER_PIN = os.environ.get("STANDUP_DEBUGGER_PIN", "418-902-337")
