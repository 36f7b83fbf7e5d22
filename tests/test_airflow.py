"""The example DAG under Airflow for real: ``airflow dags test`` (Airflow 3, standalone, SQLite) from the virtual
environment ``make airflow`` makes (``.venv-airflow``; Airflow is no dependency of newsevents), running the
checkout's ``newsevents`` over the seeds. Skips, saying why, where that environment is missing."""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import ROOT, SEEDS

AIRFLOW = os.path.join(ROOT, os.environ.get("AIRFLOW_VENV", ".venv-airflow"), "bin", "airflow")
NEWSEVENTS = os.path.join(ROOT, ".venv", "bin", "newsevents")
pytestmark = [
    pytest.mark.skipif(not os.path.exists(AIRFLOW), reason="Airflow is not installed here: `make airflow` installs it "
                                                           "into .venv-airflow (CI does, in .ci/run)"),
    pytest.mark.skipif(not os.path.exists(NEWSEVENTS), reason="no .venv/bin/newsevents (make test creates it)"),
]


def _airflow(home, *args, inbox, lake, timeout=300):
    """``airflow ARGS`` with its home, DAG folder and the DAG's settings (as Airflow Variables) under ``home``;
    quiet but for errors; never waits out a retry (the DAG only retries exit 1)."""
    env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"), "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
           "PYTHONWARNINGS": "ignore", "AIRFLOW_VAR_NEWSEVENTS_HOME": ROOT,
           "AIRFLOW_VAR_NEWSEVENTS_INBOX": str(inbox), "AIRFLOW_VAR_NEWSEVENTS_LAKE": str(lake)}
    return subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow")
    (home / "dags").mkdir()
    shutil.copy(os.path.join(ROOT, "examples", "airflow_dag.py"), home / "dags")
    migrated = _airflow(home, "db", "migrate", inbox=SEEDS, lake=home / "unused")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    return home


def test_airflow_dags_test_publishes_the_lake_and_the_report(airflow_home, tmp_path):
    lake = tmp_path / "lake"
    result = _airflow(airflow_home, "dags", "test", "newsevents_hourly", inbox=SEEDS, lake=lake)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    manifests = [json.load(open(path)) for path in glob.glob(str(lake / "_runs" / "*.json"))]
    assert len(manifests) == 1
    manifest = manifests[0]
    assert manifest["status"] == "succeeded" and manifest["counts"]["articles"] == 5
    assert manifest["run_id"].startswith("manual__") and ":" not in manifest["run_id"]   # Airflow's run id
    assert (lake / "_runs" / "report.html").stat().st_size > 10_000
    assert glob.glob(str(lake / "events" / "*" / f"{manifest['run_id']}-*.parquet"))


def test_a_usage_mistake_fails_the_dag_run_at_once_without_a_retry(airflow_home, tmp_path):
    result = _airflow(airflow_home, "dags", "test", "newsevents_hourly", inbox=tmp_path / "no-such-inbox",
                      lake=tmp_path / "lake", timeout=240)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no such file or directory" in output and "exited with 2" in output
    assert "up_for_retry" not in output
