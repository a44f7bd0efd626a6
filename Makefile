# Patchwise: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# Development defaults; anything already set in the environment wins.
export DEBUG ?= 1

.PHONY: help install install-dev system-deps test-system-deps sandbox run test test-fast lint format ci clean bench

help:
	@echo "make run    - install, migrate, load demo data, start web server + Celery worker and beat"
	@echo "make test   - install test needs (incl. Chromium) and run the whole suite"
	@echo "make test-fast - the suite without sandbox, worker, browser and article-code tests (no root needed)"
	@echo "make lint   - ruff check, ruff format --check, makemigrations --check"
	@echo "make bench  - run the benchmarks under benchmarks/"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(STAMP)-runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(STAMP)-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(STAMP)-runtime

install: $(STAMP)-runtime system-deps sandbox
install-dev: $(STAMP)-dev system-deps test-system-deps sandbox

# System packages: bubblewrap confines graded code. Installed with apt when missing.
system-deps:
	@bash scripts/apt-ensure.sh bwrap:bubblewrap prlimit:util-linux

# The grading sandbox: its unprivileged users and one Python runtime per framework under
# var/runtimes/ (quick when nothing changed). Needs root, or password-less sudo.
sandbox: $(STAMP)-runtime
	@if [ "$$(id -u)" -eq 0 ]; then $(PY) -m labs.sandbox.provision; \
	elif sudo -n true 2>/dev/null; then sudo -n $(PY) -m labs.sandbox.provision; \
	else echo "error: provisioning the sandbox needs root: run sudo $(PY) -m labs.sandbox.provision" >&2; exit 1; fi

test-system-deps:
	@bash scripts/apt-ensure.sh /usr/bin/chromium:chromium

# scripts/run.py starts the Procfile's processes, prints the sign-ins (scripts/banner.sh) once the
# worker and the web server are ready, and on Ctrl-C stops all three without killing the worker.
run: install
	@bash scripts/dev-env.sh
	@echo "Migrating the database and loading the demo data..."
	@$(PY) manage.py migrate --noinput --verbosity 0
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py seed_demo
	@$(PY) scripts/run.py

test: install-dev
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m pytest $(PYTEST_ARGS)

# The quick lane: every test but those marked sandbox (the grading sandbox), worker (a Celery
# worker process), e2e (Chromium) or articles (every article's code blocks run as scripts), in
# parallel processes. Needs neither root, nor the sandbox,
# nor Chromium: only the Python packages.
FAST_LANE := not sandbox and not worker and not e2e and not articles
test-fast: $(STAMP)-dev
	$(PY) -m pytest -n auto --dist loadgroup -m "$(FAST_LANE)" $(PYTEST_ARGS)

lint: $(STAMP)-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

ci:
	bash .ci/run

clean:
	rm -rf var/static var/cache var/broker
