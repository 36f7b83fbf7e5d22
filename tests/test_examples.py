"""The scheduling examples: the Airflow DAG compiles, imports where Airflow is installed, and uses only
flags the pipeline has."""
from __future__ import annotations

import ast
import importlib.util
import os
import py_compile

import pytest

from pipelines.options import run_help
from tests.conftest import ROOT

DAG_FILE = os.path.join(ROOT, "examples", "airflow_dag.py")


def test_the_dag_file_compiles():
    py_compile.compile(DAG_FILE, doraise=True)


def test_the_dag_uses_only_flags_the_pipeline_has_and_retries_only_exit_1():
    with open(DAG_FILE, encoding="utf-8") as handle:
        source = handle.read()
    strings = {node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)
               and isinstance(node.value, str)}
    flags = {s for s in strings if s.startswith("--")}
    assert flags and all(flag in run_help() for flag in flags), flags
    assert "RETRIED_EXIT_CODES = frozenset({1})" in source


def test_the_dag_imports_under_airflow():
    pytest.importorskip("airflow", reason="Airflow is not installed here (it is not a dependency of newsevents); "
                                          "the DAG is imported where it is")
    spec = importlib.util.spec_from_file_location("newsevents_dag", DAG_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert {task.task_id for task in module.dag.tasks} == {"run_pipeline", "report"}
