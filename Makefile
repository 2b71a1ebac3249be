# The README's two commands: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: run test lint typecheck bench migrate check clean python-check

# Before anything touches .venv: Python 3.11 or newer, and a .venv made by that same Python
# (one left from another version or machine is rebuilt rather than failing half-way).
VERSION_OF = -c 'import sys; print("%d.%d" % sys.version_info[:2])'
python-check:
	@want=$$($(PYTHON) $(VERSION_OF) 2>/dev/null) || { \
	  echo "make: $(PYTHON) not found; install Python 3.11 or newer, or set PYTHON=python3.12"; \
	  exit 1; }; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make: studybot needs Python 3.11 or newer, and $(PYTHON) is $$want; install a newer one and run make PYTHON=python3.12 (or another 3.11+)"; \
	  exit 1; }; \
	if [ -e $(VENV) ]; then \
	  have=$$($(BIN)/python $(VERSION_OF) 2>/dev/null || echo none); \
	  if [ "$$have" != "$$want" ]; then \
	    echo "make: $(VENV) was made with Python $$have, not $(PYTHON) ($$want); rebuilding it"; \
	    rm -rf $(VENV); \
	  fi; \
	fi

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
run: python-check $(VENV)/.installed
	@$(BIN)/studybot run

migrate: python-check $(VENV)/.installed
	$(BIN)/studybot migrate

check: python-check $(VENV)/.installed
	$(BIN)/studybot check

lint: python-check $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: python-check $(VENV)/.installed-dev
	$(BIN)/mypy

# The database tests also run on PostgreSQL: scripts/with-postgres starts a throwaway server
# (installing Debian's postgresql package first if it is missing) and stops it afterwards.
test: lint typecheck
	$(BIN)/studybot content check
	scripts/with-postgres $(BIN)/python -m pytest

# Benchmarks take about seven minutes and need a quiet machine; results go in docs/benchmarks.md.
bench: python-check $(VENV)/.installed-dev
	scripts/with-postgres $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .hypothesis
