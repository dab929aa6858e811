# The two commands of README: `make run` starts the system, `make test` runs every check.
# Both do all set-up themselves on a machine that has only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-postgres lint bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/nianbao up --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check domain schemas
	$(BIN)/mypy

test: $(STAMP)
	deploy/ensure-postgres
	deploy/ensure-chromium
	$(MAKE) lint
	$(BIN)/pytest -q
	$(MAKE) test-postgres

# The cycle tests once more, every database on a throw-away PostgreSQL server (tests/postgres_server.py);
# skipped with a message where no PostgreSQL binaries exist (see deploy/ensure-postgres).
test-postgres: $(STAMP)
	$(BIN)/python -m tests.postgres_server $(BIN)/pytest -q -p no:cacheprovider tests/workflows tests/cli/test_cycle_cli.py

bench: $(STAMP)
	$(BIN)/python -m bench

# The console's pictures in README, taken in headless Chromium from the sample district.
screenshots: $(STAMP)
	deploy/ensure-chromium
	$(BIN)/python -m tests.web.screenshots docs/img

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
