# Two commands for a fresh machine:  make run   |   make test
VENV ?= .venv
PYTHON ?= python3
OUTPUT ?= output
PY := $(VENV)/bin/python

.PHONY: run test bench install install-test clean

# The package and what the main job needs (setup.py's install_requires), nothing else.
install: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# And what the tests and benchmarks need: the test extra (pytest, moto, pandas, polars) and Dask.
install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,dask]'
	touch $@

# Run the pipeline on the five seed articles into ./output and print the run summary.
run: install
	$(VENV)/bin/newsevents run --input seeds --output $(OUTPUT) --run-id seeds

# Run the test suite (what CI runs), in two processes (pytest-xdist): about 15 minutes on 2 cores, 26 in one.
test: install-test
	$(PY) -m pytest -q -n 2

bench: install-test
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_fetch.py

clean:
	rm -rf $(OUTPUT) .pytest_cache bench/results
