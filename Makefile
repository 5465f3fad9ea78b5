# Two commands on a fresh machine: `make brief` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: brief test bench clean

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
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

# QuantStats, the reference the benchmark compares against, lives only in its own venv.
BENCH_VENV := .bench-venv
$(BENCH_VENV)/.quantstats:
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet "quantstats>=0.0.62,<0.1"
	touch $@

bench: $(VENV)/.base $(BENCH_VENV)/.quantstats
	$(BIN)/python bench/brief_bench.py --quantstats $(BENCH_VENV)/bin/python $(BENCH_ARGS)

clean:
	rm -rf out .pytest_cache
