"""Writing the tables: one Parquet dataset per table, always with its declared schema.

Layout: ``OUTPUT/<table>/ingest_date=YYYY-MM-DD/<run_id>-SSSSS-of-NNNNN.parquet``, so
``read_parquet('OUTPUT/<table>/**/*.parquet', hive_partitioning=true)`` reads a table
and the files of one run are found by name.
"""
from __future__ import annotations

import apache_beam as beam

from schemas import TABLES

SHARD_TEMPLATE = "-SSSSS-of-NNNNN"
SUFFIX = ".parquet"


def table_prefix(output: str, table: str, *, ingest_date: str, run_id: str) -> str:
    return f"{output.rstrip('/')}/{table}/ingest_date={ingest_date}/{run_id}"


def as_row(record) -> dict:
    """A record (NamedTuple) as the dict WriteToParquet takes."""
    return record._asdict()


class WriteTable(beam.PTransform):
    """Write one table's records as Parquet with the table's schema."""

    def __init__(self, table: str, *, output: str, ingest_date: str, run_id: str):
        super().__init__()
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        self.table = table
        self.prefix = table_prefix(output, table, ingest_date=ingest_date, run_id=run_id)

    def expand(self, records):
        return (
            records
            | "ToRow" >> beam.Map(as_row)
            | "Parquet" >> beam.io.WriteToParquet(
                self.prefix, TABLES[self.table], file_name_suffix=SUFFIX,
                shard_name_template=SHARD_TEMPLATE))


class WriteTables(beam.PTransform):
    """A dict ``{table: PCollection of records}`` -> one Parquet dataset per table."""

    def __init__(self, *, output: str, ingest_date: str, run_id: str):
        super().__init__()
        self.output = output
        self.ingest_date = ingest_date
        self.run_id = run_id

    def expand(self, tables):
        return {
            name: records | f"Write_{name}" >> WriteTable(
                name, output=self.output, ingest_date=self.ingest_date, run_id=self.run_id)
            for name, records in tables.items()
        }
