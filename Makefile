# The README's two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test lint typecheck bench migrate check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps make a second `make run`/`make test` skip the install unless pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --editable .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --editable '.[dev]'
	touch $@ $(VENV)/.installed

# `studybot run` checks the settings, then applies migrations before it starts serving.
run: $(VENV)/.installed
	@$(BIN)/studybot run

migrate: $(VENV)/.installed
	$(BIN)/studybot migrate

check: $(VENV)/.installed
	$(BIN)/studybot check

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/studybot content check
	$(BIN)/python -m pytest

# Benchmarks take a minute or two and need a quiet machine; results go in docs/benchmarks.md.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
