# Accord's one runner. `make` (or `make help`) lists the targets; `make run` and `make test` are the two
# commands the README gives. Every target installs what it needs into .venv first.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Written after a successful install; newer inputs make the next target re-install, otherwise it is instant.
STAMP := $(VENV)/.installed
# Extra pip-compile flags for `make lock`, e.g. LOCK_FLAGS=--upgrade or LOCK_FLAGS="--upgrade-package ruff".
LOCK_FLAGS ?=

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# Debian's chromium, which the browser tests (tests/browser/) drive through Playwright.
CHROMIUM := /usr/bin/chromium

.PHONY: help install browser run test lint format typecheck migrate makemigrations bench bench-vectors lock clean clean-data profile

help: ## list the targets
	@echo "usage: make <target>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(STAMP) ## create .venv if missing and install the locked dependencies and Accord (editable)
	@:

# Editable install: piccolo_conf.py, tables/ and piccolo_migrations/ stay at the repo root, where Piccolo
# finds them (commands run from the repo root).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --progress-bar off -r requirements.lock
	$(BIN)/python -m pip install --quiet --progress-bar off --no-deps -e .
	@touch $@

run: install ## run Accord (embedded PostgreSQL in .accord/ unless DATABASE_URL is set)
	$(BIN)/accord serve

test: lint typecheck browser ## lint, typecheck, then run the test suite (what CI runs)
	$(BIN)/pytest

# Playwright drives the system chromium: `playwright install` downloads browsers of its own, which fails offline.
browser: ## install Debian's chromium for the browser tests when it is missing (apt-get, as root)
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "the browser tests need $(CHROMIUM): run 'sudo apt-get install chromium' (or 'make browser' as root)" >&2; \
			exit 1; \
		fi; \
	fi

lint: install ## ruff lint and format check, and the import layers ([tool.importlinter], ARCHITECTURE.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install ## apply ruff's safe fixes (import order, ...) and format the code
	$(BIN)/ruff check --fix-only .
	$(BIN)/ruff format .

typecheck: install ## mypy in strict mode (files and settings in pyproject.toml)
	$(BIN)/mypy

migrate: install ## apply pending database migrations
	$(BIN)/accord migrate

makemigrations: install ## generate a migration for table changes (review it before committing)
	$(BIN)/accord piccolo migrations new accord --auto

bench: install ## run the benchmark (bench/__main__.py)
	@if [ -f bench/__main__.py ]; then \
		$(BIN)/python -m bench; \
	else \
		echo "no benchmark yet (bench/__main__.py does not exist)" >&2; \
		exit 1; \
	fi

bench-vectors: install ## run only the pgvector part of the benchmark (search, recall, mock, ingest; a few minutes)
	$(BIN)/python -m bench vectors

lock: install ## re-resolve requirements.lock from pyproject.toml, keeping current pins (LOCK_FLAGS=--upgrade to bump)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS) -o requirements.lock pyproject.toml

clean: ## remove .venv, caches and build output (keeps the data in .accord/)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist *.egg-info src/*.egg-info
	find . -path ./.git -prune -o -path ./.accord -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf

clean-data: ## delete .accord/ (the embedded PostgreSQL's databases); stop Accord first
	@for pidfile in $$(find .accord -name postmaster.pid 2>/dev/null); do \
		pid=$$(head -n 1 "$$pidfile"); \
		if kill -0 "$$pid" 2>/dev/null; then \
			echo "PostgreSQL (pid $$pid) is still running on $$(dirname "$$pidfile"); stop Accord (and tests) first" >&2; \
			exit 1; \
		fi; \
	done
	rm -rf .accord

profile: install ## flame graph (bench/results/profile.svg) of a worker under wrk load on the cheap read (PROFILE_PATH=...)
	$(BIN)/python -m bench.profile $(PROFILE_PATH) --out bench/results/profile.svg
