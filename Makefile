# newsfold: the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= newsfold.db

.PHONY: demo test test-fast lint setup setup-dev clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	# the stock pip 23.2 crashes resolving lxml[html-clean]: upgrade first
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

## Command 1: set up, then fold the bundled sample corpus and print the overview.
demo: setup
	$(BIN)/newsfold run sample/articles --db $(DB)

## Command 2: set up, then run every test tier (fast, slow on ../shared, browser).
test: setup-dev
	$(BIN)/python -m pytest -q

test-fast: setup-dev
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: setup-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

clean-db:
	rm -f $(DB) $(DB)-wal $(DB)-shm
