"""An Airflow DAG that runs newsevents every hour into a lake, then refreshes the report.

Copy it into your Airflow dags/ folder and set NEWSEVENTS_HOME (the project checkout with its
.venv), NEWSEVENTS_INBOX and NEWSEVENTS_LAKE as Airflow Variables or environment variables.
The run id is Airflow's own run id, so a retried or cleared task reruns the same run id and
replaces its files instead of duplicating rows. Exit code 3 (rejects over the threshold) fails
the task, so that somebody looks at the rejects report.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

HOME = "{{ var.value.get('NEWSEVENTS_HOME', '/opt/newsevents') }}"
INBOX = "{{ var.value.get('NEWSEVENTS_INBOX', '/data/inbox') }}"
LAKE = "{{ var.value.get('NEWSEVENTS_LAKE', '/data/lake') }}"

with DAG(
    dag_id="newsevents_hourly",
    schedule="@hourly",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
) as dag:
    run = BashOperator(
        task_id="run_pipeline",
        bash_command=(f"{HOME}/.venv/bin/newsevents run --input {INBOX} --output {LAKE} "
                      "--run-id {{ run_id | replace(':', '') | replace('+', '') }} --max-reject-ratio 0.2"),
    )
    report = BashOperator(
        task_id="report",
        bash_command=f"{HOME}/.venv/bin/newsevents report {LAKE}",
    )
    run >> report
