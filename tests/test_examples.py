"""The scheduling examples: the Airflow DAG compiles, imports where Airflow is installed, and uses only
flags the pipeline has; the docs' cluster commands pass their runner's option validation."""
from __future__ import annotations

import ast
import importlib.util
import os
import py_compile
import shlex

import pytest
from apache_beam.options.pipeline_options import StandardOptions
from apache_beam.options.pipeline_options_validator import PipelineOptionsValidator
from apache_beam.runners import create_runner

from pipelines.options import check_flags, parse_options, run_help
from tests.conftest import ROOT
from tests.docs_text import read
from transforms.lake.store import is_local

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


def _cluster_commands():
    """The commands of the docs' "Dataflow, Flink, Spark" paragraph, as argument lists after ``run``."""
    page = read("docs/cluster.md")
    section = page[page.index("**Dataflow, Flink, Spark**"):]
    block = section[section.index("```sh\n") + len("```sh\n"):section.index("```", section.index("```sh\n") + 5)]
    commands = [shlex.split(command) for command in block.replace("\\\n", " ").splitlines() if command.strip()]
    assert [command[:2] for command in commands] == [[".venv/bin/newsevents", "run"]] * 3
    return [command[2:] for command in commands]


@pytest.mark.parametrize("argv", _cluster_commands(), ids=["dataflow", "flink", "spark"])
def test_the_docs_cluster_commands_pass_the_runners_option_validation(argv):
    """As far as a runner's options can be checked without its cluster: our flags and Beam's parse, the runner
    exists, and Beam's validation for it finds nothing missing; input and output are on an object store."""
    options, args = parse_options(argv)
    check_flags(args)
    runner = create_runner(options.view_as(StandardOptions).runner)
    assert PipelineOptionsValidator(options, runner).validate() == []
    assert not is_local(args.output) and all(not is_local(pattern) for pattern in args.inputs)
