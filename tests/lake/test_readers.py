"""Every table opens in every reader a data engineer uses, across two runs on two days (issue "a data
engineer's first hour"): DuckDB, pyarrow's dataset and ``read_table``, pandas and polars. And the
lake's root holds the tables, ``_runs/`` and ``_state/``, nothing else."""
from __future__ import annotations

import os
from datetime import timedelta

import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipelines import news_events
from schemas import DERIVED_TABLES, TABLES
from tests.conftest import FIXED_NOW, SEEDS, sql_rows

ALL_TABLES = sorted(TABLES) + sorted(DERIVED_TABLES)


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("readers")
    first, second = root / "monday", root / "tuesday"
    first.mkdir()
    second.mkdir()
    seeds = sorted(os.listdir(SEEDS))
    for name in seeds[:2]:
        (first / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    (first / "short.txt").write_text("Too short to be an article.", encoding="utf-8")   # a rejects row
    for name in seeds[2:]:
        (second / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    output = str(root / "lake")
    news_events.run(["--input", str(first), "--output", output, "--run-id", "monday"], now=FIXED_NOW)
    news_events.run(["--input", str(second), "--output", output, "--run-id", "tuesday"],
                    now=FIXED_NOW + timedelta(days=1))
    return output


def _duckdb_count(lake, table):
    return sql_rows(f"SELECT count(*) FROM read_parquet('{lake}/{table}/**/*.parquet', hive_partitioning=true)")[0][0]


@pytest.mark.parametrize("table", ALL_TABLES)
def test_every_reader_opens_every_table_with_its_partition_column(lake, table):
    path = os.path.join(lake, table)
    rows = _duckdb_count(lake, table)
    partition = "event_day" if table in DERIVED_TABLES else "ingest_date"
    dataset = ds.dataset(path, partitioning="hive").to_table()
    assert dataset.num_rows == rows and partition in dataset.column_names
    assert pq.read_table(path).num_rows == rows
    frame = pd.read_parquet(path)
    assert len(frame) == rows and partition in frame.columns
    polars_frame = pl.read_parquet(os.path.join(path, "**", "*.parquet"), hive_partitioning=True)
    assert polars_frame.height == rows and partition in polars_frame.columns
    if table != "rejects" or rows:
        assert rows > 0, table


def test_both_days_are_partitions_and_no_run_leaves_a_zero_row_file_beside_rows(lake):
    days = sql_rows(f"SELECT DISTINCT ingest_date FROM read_parquet('{lake}/articles/**/*.parquet', "
                    f"hive_partitioning=true) ORDER BY 1")
    assert [str(day[0]) for day in days] == ["2025-02-14", "2025-02-15"]
    for table in ALL_TABLES:
        files = [os.path.join(folder, name) for folder, _dirs, names in os.walk(os.path.join(lake, table))
                 for name in names if name.endswith(".parquet")]
        empty = [path for path in files if pq.read_metadata(path).num_rows == 0]
        assert not empty or (len(files) == 1 and _duckdb_count(lake, table) == 0), (table, empty)


def test_the_lake_root_holds_only_tables_runs_and_state(lake):
    assert set(os.listdir(lake)) <= set(ALL_TABLES) | {"_runs", "_state"}, os.listdir(lake)
    assert not os.path.exists(os.path.join(lake, "_state", "staging"))
