"""Reading the lake's tables into DuckDB, from a local folder or an object store (no Beam).

A local table is read by DuckDB itself (``read_parquet`` over the listed files, Hive partitions, columns
united by name). A table on an object store is handed to DuckDB as a pyarrow dataset over pyarrow's file
system for the scheme, with the table's declared schema, so that both give the same columns and types: the
partition column is a date, and a column a file predates is null.
"""
from __future__ import annotations

from typing import List, Optional

import pyarrow as pa
import pyarrow.dataset as ds

from schemas import DERIVED_TABLES, TABLES
from transforms.lake.shards import sql_list
from transforms.lake.store import arrow_filesystem, arrow_path, is_local, join

#: The Hive partition column of each table (a date, in the folder name only).
PARTITION = {"event_summary": "event_day"}
DEFAULT_PARTITION = "ingest_date"


def partition_of(table: str) -> str:
    return PARTITION.get(table, DEFAULT_PARTITION)


def arrow_dataset(root: str, table: str, files: List[str], *, filesystem=None) -> ds.Dataset:
    """The files of ``table`` (full paths under ``root``) as one pyarrow dataset with the table's schema,
    through ``filesystem`` (by default the one :func:`transforms.lake.store.arrow_filesystem` gives)."""
    if filesystem is None:
        filesystem = arrow_filesystem(root)[0]
    partition = partition_of(table)
    declared = {**TABLES, **DERIVED_TABLES}[table]
    # the partition column last, as DuckDB puts it when it reads the folders
    in_files = declared.remove(declared.get_field_index(partition)) if partition in declared.names else declared
    schema = in_files.append(pa.field(partition, pa.date32()))
    return ds.dataset([arrow_path(path) for path in files], schema=schema, format="parquet", filesystem=filesystem,
                      partitioning=ds.partitioning(pa.schema([schema.field(partition)]), flavor="hive"),
                      partition_base_dir=arrow_path(join(root, table)))


def create_view(con, name: str, root: str, table: str, files: List[str], *, filesystem: Optional[object]) -> None:
    """A DuckDB view ``name`` over ``files`` of ``table`` (there must be at least one file)."""
    if filesystem is None and is_local(root):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({sql_list(files)}, hive_partitioning=true, "
                    "union_by_name=true)")
        return
    con.register(f"_arrow_{name}", arrow_dataset(root, table, files, filesystem=filesystem))
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM _arrow_{name}")
