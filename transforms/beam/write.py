"""Writing the tables: one Parquet dataset per table, always with its declared schema.

Layout: ``OUTPUT/<table>/ingest_date=YYYY-MM-DD/<run_id>-SSSSS-of-NNNNN.parquet``, so
``read_parquet('OUTPUT/<table>/**/*.parquet', hive_partitioning=true)`` reads a table
and the files of one run are found by name.

Rows are grouped by shard (``transforms.lake.shards``) and each shard is written by one call,
rather than with ``WriteToParquet``: its finalisation needs what ``finish_bundle`` emits,
which the DaskRunner drops. Grouping by a stable key also makes a retried shard rewrite the
same file, on any runner.
"""
from __future__ import annotations

from typing import Callable, Optional

import apache_beam as beam

from schemas import TABLES
from transforms.beam.filesystems import RunFilesFn, run_options
from transforms.beam.routing import GroupByShard
from transforms.common.faults import checkpoint
from transforms.lake.shards import LINES_SUFFIX, SUFFIX, shard_path, write_lines_shard, write_parquet_shard

#: The columns each table's files are sorted by, and the column rows are sharded by.
SORT_KEYS = {
    "articles": ("article_id",),
    "entities": ("article_id", "first_char", "label", "name"),
    "mentions": ("article_id", "char_start", "char_end", "entity_key"),
    "events": ("article_id", "event_id"),
    "quotes": ("article_id", "quote_id"),
    "stances": ("article_id", "stance_id"),
    "rejects": ("input", "stage", "reason", "detail"),
}


def table_prefix(output: str, table: str, *, ingest_date: str, run_id: str) -> str:
    return f"{output.rstrip('/')}/{table}/ingest_date={ingest_date}/{run_id}"


def as_row(record) -> dict:
    """A record (NamedTuple) as the dict pyarrow takes."""
    return record._asdict()


class WriteShardsFn(RunFilesFn):
    """``(shard, [rows])`` -> the path of the file written with ``write``."""

    def __init__(self, write: Callable, *, prefix: str, shards: int, suffix: str, options: Optional[dict] = None):
        super().__init__(options)   # the run's flags, for a file system that needs them
        self.write = write
        self.prefix = prefix
        self.shards = shards
        self.suffix = suffix

    def process(self, keyed):
        shard, rows = keyed
        path = shard_path(self.prefix, shard, self.shards, self.suffix)
        self.write(rows, path)
        checkpoint("staging-write")
        yield path


class _WriteSharded(beam.PTransform):
    def __init__(self, write: Callable, *, key: Callable, prefix: str, shards: int, suffix: str):
        super().__init__()
        self.write = write
        self.key = key
        self.prefix = prefix
        self.shards = shards
        self.suffix = suffix

    def expand(self, rows):
        return (
            rows
            | "Group" >> GroupByShard(self.key, self.shards)
            | "WriteShard" >> beam.ParDo(WriteShardsFn(self.write, prefix=self.prefix, shards=self.shards,
                                                       suffix=self.suffix, options=run_options(rows.pipeline))))


def _first_column(table: str) -> Callable:
    column = SORT_KEYS[table][0]
    return lambda row: row[column]


class _ParquetWriter:
    """Picklable ``write(rows, path)`` for one table."""

    def __init__(self, table: str):
        self.table = table

    def __call__(self, rows, path):
        return write_parquet_shard(rows, path, schema=TABLES[self.table], sort_by=SORT_KEYS[self.table])


class WriteTable(beam.PTransform):
    """Write one table's records as Parquet with the table's schema; outputs the file paths.

    A table with no rows writes no file here (see ``transforms.lake.staging.complete_tables``).
    """

    def __init__(self, table: str, *, output: str, ingest_date: str, run_id: str, shards: int = 1):
        super().__init__()
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        self.table = table
        self.shards = shards
        self.prefix = table_prefix(output, table, ingest_date=ingest_date, run_id=run_id)

    def expand(self, records):
        return (
            records
            | "ToRow" >> beam.Map(as_row)
            | "Shards" >> _WriteSharded(_ParquetWriter(self.table), key=_first_column(self.table),
                                        prefix=self.prefix, shards=self.shards, suffix=SUFFIX))


class WriteLines(beam.PTransform):
    """Strings -> one text file ``<prefix>-00000-of-00001.jsonl``; outputs its path."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def expand(self, lines):
        return lines | "Shards" >> _WriteSharded(write_lines_shard, key=lambda _line: "", prefix=self.prefix,
                                                 shards=1, suffix=LINES_SUFFIX)


class WriteTables(beam.PTransform):
    """A dict ``{table: PCollection of records}`` -> one Parquet dataset per table.

    Outputs the paths of all files written, so that a last step can depend on every write.
    """

    def __init__(self, *, output: str, ingest_date: str, run_id: str, shards: int = 1):
        super().__init__()
        self.output = output
        self.ingest_date = ingest_date
        self.run_id = run_id
        self.shards = shards

    def expand(self, tables):
        written = [
            records | f"Write_{name}" >> WriteTable(
                name, output=self.output, ingest_date=self.ingest_date, run_id=self.run_id,
                shards=self.shards)
            for name, records in tables.items()
        ]
        return tuple(written) | "AllFiles" >> beam.Flatten()
