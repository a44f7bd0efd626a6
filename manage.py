#!/usr/bin/env python
"""Django's command-line utility for Patchwise."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    from portal.lib.env import run_or_exit

    run_or_exit(lambda: _load_settings())
    execute_from_command_line(sys.argv)


def _load_settings() -> None:
    """Import the settings up front so a configuration error is one line, not a traceback."""
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 - touching it imports and validates the settings


if __name__ == "__main__":
    main()
