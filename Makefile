# The two commands a newcomer needs are `make run` and `make test`; the rest
# are for day-to-day work. `make help` lists them all.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages lock bench serve clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Each sentinel records that the venv holds exactly what a lock file pins;
# it is rebuilt when the lock file changes.
$(VENV)/.run-installed: requirements/run.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements/test.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed ## Install, migrate, load the seed content if empty, serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_site
	$(PY) manage.py runserver $(HOST):$(PORT)

# PYTEST_ARGS narrows the run, e.g. PYTEST_ARGS='-m "not browser"'; empty, the whole suite.
PYTEST_ARGS ?=

test: $(VENV)/.test-installed ## Install with test extras and run the whole suite (lint included)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed ## Lint with ruff, and check how the apps import each other
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.test-installed ## Format and fix with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# One catalogue per folder of reviewsite/locale/ (a new language: mkdir it).
LOCALES := $(notdir $(wildcard reviewsite/locale/*))

messages: $(VENV)/.test-installed ## Update the interface's catalogues and compile them
	$(PY) manage.py makemessages $(LOCALES:%=--locale %) --no-obsolete --extension html,txt,py,md --ignore '.venv/*' --ignore 'var/*' --ignore 'test-artifacts/*'
	$(PY) manage.py compilemessages $(LOCALES:%=--locale %) --ignore '.venv/*'

lock: ## Re-pin the lock files from pyproject.toml (needs the package index)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --no-emit-index-url --generate-hashes --strip-extras -o requirements/run.txt pyproject.toml
	$(BIN)/pip-compile --quiet --no-emit-index-url --generate-hashes --strip-extras --extra test -o requirements/test.txt pyproject.toml

bench: $(VENV)/.test-installed ## Load-test the production stack on loopback (needs wrk), then time spreadsheets
	$(PY) manage.py migrate --noinput
	$(PY) -m bench

serve: $(VENV)/.run-installed ## Run as in production (gunicorn; settings from the environment, see .env.example)
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn reviewsite.wsgi

clean: ## Remove the virtualenv and caches (keeps the database in var/)
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
