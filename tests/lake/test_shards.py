"""Shard numbers, and a staged run's tables completed with empty files (no Beam pipeline)."""
from __future__ import annotations

import os

import pyarrow.parquet as pq

from schemas import TABLES
from transforms.lake.shards import shard_count, shard_of
from transforms.lake.staging import complete_tables, staging_dir


def test_shard_of_spreads_keys_over_every_shard_and_is_stable():
    keys = [f"article-{n}" for n in range(400)]
    shards = [shard_of(key, 4) for key in keys]
    assert set(shards) == {0, 1, 2, 3}
    assert shards == [shard_of(key, 4) for key in keys]
    assert shard_count(0, 100) == 1 and shard_count(2000, 100) == 20 and shard_count(5, 100, minimum=4) == 4


def test_complete_tables_gives_an_empty_file_to_a_table_without_rows(tmp_path):
    output = str(tmp_path)
    folder = os.path.join(staging_dir(output, "r1"), "articles", "ingest_date=2025-02-14")
    os.makedirs(folder)
    pq.write_table(TABLES["articles"].empty_table(), os.path.join(folder, "r1-00000-of-00001.parquet"))
    missing = complete_tables(output, "r1", ingest_date="2025-02-14", shards=1)
    assert missing == [table for table in TABLES if table != "articles"]
    for table in missing:
        path = os.path.join(staging_dir(output, "r1"), table, "ingest_date=2025-02-14", "r1-00000-of-00001.parquet")
        written = pq.read_table(path)
        assert written.num_rows == 0 and written.schema.equals(TABLES[table], check_metadata=False)


def test_a_table_that_already_has_rows_gets_no_empty_file_per_run(tmp_path):
    output = str(tmp_path)
    published = os.path.join(output, "rejects", "ingest_date=2025-02-13")
    os.makedirs(published)
    pq.write_table(TABLES["rejects"].empty_table(), os.path.join(published, "r0-00000-of-00001.parquet"))
    # the same run id's own older file does not count: a rerun replaces it
    own = os.path.join(output, "quotes", "ingest_date=2025-02-13")
    os.makedirs(own)
    pq.write_table(TABLES["quotes"].empty_table(), os.path.join(own, "r1-00000-of-00001.parquet"))
    missing = complete_tables(output, "r1", ingest_date="2025-02-14", shards=1)
    assert "rejects" not in missing and "quotes" in missing
    assert not os.path.exists(os.path.join(staging_dir(output, "r1"), "rejects"))
