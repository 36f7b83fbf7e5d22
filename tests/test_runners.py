"""The same pipeline on other runners writes the same tables as the default DirectRunner.

Every row of every table is compared (the run id and the clock are fixed), not only counts.
The Dask test starts a ``distributed.LocalCluster`` of two worker processes on 127.0.0.1;
it is slow (the workers load the model) and CI runs it.
"""
from __future__ import annotations

import glob
import os

import pyarrow.parquet as pq

from pipelines import news_events
from schemas import TABLES
from tests.conftest import FIXED_NOW, SEEDS
from transforms.beam.write import SORT_KEYS

RUN_ID = "seedrun"


def table_rows(output: str, table: str) -> list:
    """Every row of one table of a run, as sorted tuples (the file layout left out)."""
    rows = []
    for path in glob.glob(os.path.join(output, table, "ingest_date=*", f"{RUN_ID}-*.parquet")):
        rows.extend(pq.read_table(path).to_pylist())
    return sorted((tuple(sorted(row.items(), key=lambda item: item[0])) for row in rows), key=repr)


def assert_same_tables(expected_output: str, output: str) -> None:
    for table in TABLES:
        expected, got = table_rows(expected_output, table), table_rows(output, table)
        assert len(got) == len(expected), f"{table}: {len(got)} rows, expected {len(expected)}"
        key = SORT_KEYS[table][-1] if table != "rejects" else "input"
        assert sorted(dict(r)[key] for r in got) == sorted(dict(r)[key] for r in expected), table
        assert got == expected, f"{table}: rows differ"


def run_seeds(output: str, *runner_args: str) -> dict:
    return news_events.run(["--input", SEEDS, "--output", output, "--run-id", RUN_ID, *runner_args],
                           now=FIXED_NOW)


def test_seed_tables_are_not_empty(seed_run):
    output, manifest = seed_run
    for table in ("articles", "entities", "events", "stances"):
        assert table_rows(output, table), table
    assert manifest["counts"]["articles"] == 5


def test_multi_processing_writes_the_same_tables_and_its_workers_keep_quiet(seed_run, tmp_path, capfd):
    expected_output, expected = seed_run
    output = str(tmp_path / "multi")
    manifest = run_seeds(output, "--direct_running_mode", "multi_processing", "--direct_num_workers", "2")
    assert manifest["counts"] == expected["counts"]
    assert_same_tables(expected_output, output)
    # a worker's start-up (its imports) is told apart from its work; in one process the imports come before the run
    assert manifest["stage_seconds"]["start"] > 0 and "start" not in expected["stage_seconds"]
    assert manifest["stage_seconds"]["load"] > 0
    # the parse and the extraction rules after it are timed apart
    assert all(manifest["stage_seconds"][stage] > 0 and expected["stage_seconds"][stage] > 0
               for stage in ("nlp", "extract"))
    # the worker processes write to the same standard error: none of Beam's start-up chatter reaches it
    err = capfd.readouterr().err
    for chatter in ("apitools not found", "sdk_worker", "Creating insecure", "semi_persistent_directory"):
        assert chatter not in err, err[-2000:]


def test_dask_runner_writes_the_same_tables(seed_run, tmp_path):
    import distributed  # the newsevents[dask] extra; `make test` installs it
    expected_output, expected = seed_run
    output = str(tmp_path / "dask")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0",
                                  worker_dashboard_address="127.0.0.1:0") as cluster:
        manifest = run_seeds(output, "--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                             "--dask_client_address", cluster.scheduler_address)
    assert {t: manifest["counts"][t] for t in TABLES} == {t: expected["counts"][t] for t in TABLES}
    # Dask reports no Beam metrics: duplicates are counted from the run's duplicates log
    assert manifest["counts"]["duplicates"] == expected["counts"]["duplicates"] == 0
    assert_same_tables(expected_output, output)
