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


SERVICE_FILE = os.path.join(ROOT, "examples", "newsevents-watch.service")


def _unit_command(unit: str) -> list:
    line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line[len("ExecStart="):])


def test_the_service_runs_watch_with_flags_it_has():
    from pipelines.watch import watch_help

    command = _unit_command(open(SERVICE_FILE, encoding="utf-8").read())
    assert command[0] == "/opt/newsevents/.venv/bin/newsevents" and command[1] == "watch"
    flags = [arg for arg in command[2:] if arg.startswith("--")]
    assert flags and all(flag in run_help() or flag in watch_help() for flag in flags), flags
    assert "--run-id" not in flags


def test_systemd_accepts_the_service(tmp_path):
    """``systemd-analyze verify`` on the unit, with the checkout's path for /opt/newsevents (it checks that the
    command exists); a unit it finds fault with prints why, so the check is that it prints nothing."""
    import shutil
    import subprocess

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (Debian's systemd package has it)")
    venv_bin = os.path.dirname(shutil.which("newsevents", path=os.path.join(ROOT, ".venv", "bin")) or "")
    if not venv_bin:
        pytest.skip("no .venv/bin/newsevents in the checkout (make test creates it)")
    unit = open(SERVICE_FILE, encoding="utf-8").read().replace("/opt/newsevents", ROOT)
    path = tmp_path / "newsevents-watch.service"
    path.write_text(unit)
    result = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "" and result.stderr.strip() == "", result.stderr
    path.write_text(unit.replace("Type=exec", "Type=sometimes"))   # the check can fail
    assert "sometimes" in subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True,
                                    timeout=60).stderr
