#!/usr/bin/env bash
# Called by `make run`: write a development .env when there is none, so that `manage.py` commands
# run by hand (.venv/bin/python manage.py ...) get the same DEBUG=1 as the processes `make run`
# starts. An existing .env is never touched. Real environment variables win over the file.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -e .env ]] && exit 0
cat >.env <<'TEXT'
# Written by `make run` for development (see .env.example for every variable).
# Variables set in the real environment win over this file. Never use DEBUG=1 in production.
DEBUG=1
TEXT
echo "Wrote .env (DEBUG=1) for manage.py commands run by hand."
