"""An Airflow DAG that runs newsevents every hour into a lake, then refreshes the report.

Copy it into your Airflow ``dags/`` folder. Its settings are read when a task runs, each from an Airflow
Variable of that name, else from the worker's environment variable of that name, else the default below:

    NEWSEVENTS_HOME    the project checkout with its .venv       (default /opt/newsevents)
    NEWSEVENTS_INBOX   the folder of articles to read             (default /data/inbox)
    NEWSEVENTS_LAKE    the lake the tables are published into    (default /data/lake)

The run id is Airflow's own run id (its ':' and '+' made '-'), so a retried or cleared task reruns the same
run id and replaces its files instead of duplicating rows; files an earlier hour published unchanged are not
read again. Only exit code 1 (the run failed: a full disk, a crash) is retried. Exit code 2 (a command-line
mistake: a wrong path or flag) and 3 (published, but rejects over the threshold: somebody should look at the
rejects report) fail the task at once, since running it again cannot change them. The report is refreshed
whatever the run's outcome.

Written for Airflow 3 (``airflow.sdk``) and still parsed by Airflow 2.
"""
from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta

try:   # Airflow 3
    from airflow.sdk import DAG, Variable, task
except ImportError:   # Airflow 2
    from airflow import DAG
    from airflow.decorators import task
    from airflow.models import Variable
try:   # Airflow 3.2 and later (airflow.exceptions' names are deprecated there)
    from airflow.sdk.exceptions import AirflowException, AirflowFailException
except ImportError:
    from airflow.exceptions import AirflowException, AirflowFailException

DEFAULTS = {"NEWSEVENTS_HOME": "/opt/newsevents", "NEWSEVENTS_INBOX": "/data/inbox",
            "NEWSEVENTS_LAKE": "/data/lake"}
RETRIED_EXIT_CODES = frozenset({1})


def setting(name: str) -> str:
    """An Airflow Variable, else the environment variable, else the default."""
    try:
        value = Variable.get(name, default=None)        # Airflow 3
    except TypeError:
        value = Variable.get(name, default_var=None)    # Airflow 2
    return value or os.environ.get(name) or DEFAULTS[name]


def run_id_for(airflow_run_id: str) -> str:
    """Airflow's run id (``scheduled__2026-12-07T08:00:00+00:00``) as a newsevents run id: letters, digits,
    '.', '_' and '-', at most 128, not starting with a punctuation mark."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", airflow_run_id).strip("._-")[:128] or "manual"


def newsevents(*args: str) -> None:
    """Run the newsevents command; a failure is retried only when it can succeed on a retry."""
    command = [os.path.join(setting("NEWSEVENTS_HOME"), ".venv", "bin", "newsevents"), *args]
    code = subprocess.run(command, check=False).returncode
    if code == 0:
        return
    message = f"{' '.join(command)} exited with {code}"
    if code in RETRIED_EXIT_CODES:
        raise AirflowException(message)
    raise AirflowFailException(message)


with DAG(
    dag_id="newsevents_hourly",
    schedule="@hourly",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,   # runs into one lake go one at a time
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:

    @task
    def run_pipeline(run_id: str | None = None) -> None:
        newsevents("run", "--input", setting("NEWSEVENTS_INBOX"), "--output", setting("NEWSEVENTS_LAKE"),
                   "--run-id", run_id_for(run_id or "manual"),
                   "--max-reject-ratio", "0.2", "--log-format", "json")

    @task(trigger_rule="all_done")   # also after exit 3 (published, rejects over the threshold) or a failure
    def report() -> None:
        newsevents("report", setting("NEWSEVENTS_LAKE"))

    run_pipeline() >> report()
