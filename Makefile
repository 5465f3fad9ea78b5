# Two commands on a fresh machine: `make brief` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: brief test clean

# The stamps record which install the venv holds; pyproject.toml changes redo it.
$(VENV)/.base: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

brief: $(VENV)/.base
	$(BIN)/python build.py

test: $(VENV)/.test
	$(BIN)/python -m pytest

clean:
	rm -rf out .pytest_cache
