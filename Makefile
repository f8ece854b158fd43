# Two commands set up a fresh machine: `make run` and `make test` (see README).
# Each creates what it needs and reuses what an earlier run made.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := fixtures/seed-report.txt
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core. TEST_WORKERS=0 runs in this process only.
TEST_WORKERS ?= auto

.PHONY: run test test-browser lint format check migrate seed clean

# pip byte-compiles what it installs (its default, kept on purpose): where the environment
# sets PYTHONDONTWRITEBYTECODE, nothing imported later would ever be cached, and each of
# the hundred-odd Python processes a test or CI run starts (test workers, servers, manage.py
# commands) would compile Django and the rest again: about 1.6 s of CPU each.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# On PostgreSQL, create the database DATABASE_URL names when the server allows it.
migrate: $(STAMP)
	$(BIN)/python bin/ensure-database
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py import_article --skip-existing $(SEED)
	$(BIN)/python manage.py create_demo_users

## Serve the workspace with the seed report and demo accounts on http://127.0.0.1:8000/,
## with a webhook worker beside it (bin/start-worker); Ctrl-C stops both
run: seed
	export CLAIMDESK_SITE_URL="$${CLAIMDESK_SITE_URL:-http://$(HOST):$(PORT)}"; \
	PYTHON=$(BIN)/python bin/start-worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole test suite (SQLite unless DATABASE_URL says otherwise); extra pytest args in ARGS
test: $(STAMP)
	$(BIN)/python bin/ensure-database
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(ARGS)

## Only the tests that drive Chromium (annotate/tests/browser/)
test-browser: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m browser $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test

clean:
	rm -rf $(VENV) staticfiles artifacts *.egg-info
