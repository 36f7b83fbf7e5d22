# Two commands for a fresh machine:  make run   |   make test
VENV ?= .venv
PYTHON ?= python3
OUTPUT ?= output
PY := $(VENV)/bin/python

.PHONY: run test bench docs docs-serve install install-test airflow clean

# The package and what the main job needs (setup.py's install_requires), nothing else. A plain install: an
# editable one makes setuptools print a warning on every first run; install-test makes it editable.
install: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .
	touch $@

# And what the tests and benchmarks need: the test extra (pytest, moto, pandas, polars), Dask, and the docs extra
# (MkDocs: the suite builds the site strictly).
install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,dask,docs]'
	touch $@

# Run the pipeline on the five seed articles into ./output and print the run summary.
run: install
	$(VENV)/bin/newsevents run --input seeds --output $(OUTPUT) --run-id seeds

# Run the test suite (what CI runs), in two processes (pytest-xdist): about 9 minutes on 2 cores from a clean
# clone, installing included (7.5 of them the tests).
test: install-test
	$(PY) -m pytest -q -n 2

bench: install-test
	$(PY) bench/bench_scale.py
	$(PY) bench/bench_fetch.py

# Airflow 3 in a virtual environment of its own (.venv-airflow; not a dependency of newsevents), for
# tests/test_airflow.py, which runs examples/airflow_dag.py with `airflow dags test` (it skips without it).
# .ci/run installs it before the tests. SQLAlchemy below 2.1: 2.1 makes Airflow warn on every command.
AIRFLOW_VENV ?= .venv-airflow
AIRFLOW_VERSION ?= 3.3.2

airflow: $(AIRFLOW_VENV)/.installed

$(AIRFLOW_VENV)/.installed:
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install --quiet --upgrade pip
	$(AIRFLOW_VENV)/bin/pip install --quiet 'apache-airflow==$(AIRFLOW_VERSION)' 'sqlalchemy<2.1'
	touch $@

# The documentation site (docs/, mkdocs.yml), built strictly into site/; docs-serve browses it on 127.0.0.1:8000.
docs: install-test
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

docs-serve: install-test
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000

clean:
	rm -rf $(OUTPUT) .pytest_cache bench/results site $(AIRFLOW_VENV)
