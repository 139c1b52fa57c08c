# policycheck — developer tasks. Only Python 3.11+ and make are needed; everything
# else is installed into .venv from pyproject.toml.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= examples/insecure-web

.PHONY: demo test lint bench fuzz docs install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

## demo: install and scan the bundled insecure example (exit 1 = findings, expected)
demo: install
	@$(BIN)/policycheck scan $(DEMO); status=$$?; \
	  if [ $$status -gt 1 ]; then exit $$status; fi; \
	  echo "(policycheck exited $$status: 1 means findings at or above --fail-on)"

## test: lint, type-check and run the whole suite
test: dev lint
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check policycheck tests benchmarks
	$(BIN)/mypy

## bench: speed and memory against the targets and checkov (benchmarks/results.json)
bench: dev
	$(BIN)/python benchmarks/run.py

## fuzz: property tests and mutated front-door inputs, many examples, at most FUZZ_SECONDS
FUZZ_SECONDS ?= 600
fuzz: dev
	POLICYCHECK_FUZZ_PROFILE=fuzz timeout $(FUZZ_SECONDS) $(BIN)/python -m pytest -q tests/fuzz \
	  || test $$? -eq 124

## docs: regenerate docs/rules from policies/ (a test fails when they are stale)
docs: install
	$(BIN)/python -m policycheck.rules.docs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
