"""Shard files: which shard a row goes to, and writing one shard (plain functions).

Rows are spread over shards by a stable hash of a key (the article id, or the input of a
reject), so a rerun puts every row in the same file and a retried shard overwrites itself.
A shard is written to a temporary name and renamed when complete (on an object store, uploaded
whole): a reader never sees half a file. Within a file, rows are sorted by the table's key columns, so the same rows give
the same file on any runner.
"""
from __future__ import annotations

import glob
import math
import os
import zlib
from typing import Iterable, List, Mapping, Optional, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from transforms.lake.store import create, is_local, list_files, move

SUFFIX = ".parquet"
LINES_SUFFIX = ".jsonl"

#: Articles per file of a table (rows of one article stay in one file).
ARTICLES_PER_FILE = 2000


def shard_of(key: str, shards: int) -> int:
    """A stable shard number in ``range(shards)`` for ``key`` (the same on every machine)."""
    return zlib.crc32(key.encode("utf-8")) % shards


def shard_count(items: int, per_shard: int, *, minimum: int = 1) -> int:
    """How many shards hold ``items`` at about ``per_shard`` each."""
    return max(minimum, math.ceil(items / per_shard))


def shard_path(prefix: str, shard: int, shards: int, suffix: str = SUFFIX) -> str:
    """``<prefix>-SSSSS-of-NNNNN<suffix>``."""
    return f"{prefix}-{shard:05d}-of-{shards:05d}{suffix}"


def table_files(root: str, table: str, run_id: Optional[str] = None) -> List[str]:
    """The Parquet files of ``table`` under ``root`` (a lake or a run's staging folder), sorted:
    ``root/<table>/<key>=<value>/[<run_id>-]*.parquet``.

    Listed by Python with the fixed parts escaped, so a ``[`` or ``'`` in a path is a character and
    not a pattern; ``glob`` follows no symbolic link into a loop (no ``**``).
    """
    if not is_local(root):   # an object store: keys listed by prefix (run ids hold no pattern character)
        return list_files(root, f"{table}/*=*/{run_id + '-' if run_id is not None else ''}*{SUFFIX}")
    name = f"{glob.escape(run_id)}-*{SUFFIX}" if run_id is not None else f"*{SUFFIX}"
    return sorted(glob.glob(os.path.join(glob.escape(root), table, "*=*", name)))


def sql_list(paths: Iterable[str]) -> str:
    """``paths`` as a DuckDB list literal of strings (``['a', 'b''s']``), for ``read_parquet``."""
    return "[" + ", ".join("'" + path.replace("'", "''") + "'" for path in paths) + "]"


def _temporary(path: str) -> str:
    """Where a shard is written before it is renamed to ``path``: on an object store nowhere else (an
    object appears whole when its upload completes, and a rename would be a copy)."""
    return f"{path}.tmp" if is_local(path) else path


def _commit(temporary: str, final: str) -> None:
    if temporary != final:
        move([temporary], [final])   # a rename that replaces the file


def write_parquet_shard(rows: Iterable[Mapping], path: str, *, schema: pa.Schema,
                        sort_by: Sequence[str]) -> int:
    """Write ``rows`` (dicts) as one Parquet file with ``schema``; returns the number of rows."""
    table = pa.Table.from_pylist(list(rows), schema=schema)
    if sort_by and table.num_rows:
        table = table.sort_by([(column, "ascending") for column in sort_by])
    return write_table_shard(table, path)


def write_table_shard(table: pa.Table, path: str) -> int:
    """Write an Arrow table as one Parquet file (whole or not at all); returns the number of rows."""
    temporary = _temporary(path)
    with create(temporary) as handle:
        pq.write_table(table, handle)
    _commit(temporary, path)
    return table.num_rows


def write_lines_shard(lines: Iterable[str], path: str) -> int:
    """Write ``lines`` (sorted, one per line) as a UTF-8 text file; returns the number of lines."""
    ordered = sorted(lines)
    temporary = _temporary(path)
    with create(temporary) as handle:
        for line in ordered:
            handle.write(line.encode("utf-8") + b"\n")
    _commit(temporary, path)
    return len(ordered)


def write_empty_table(path: str, *, schema: pa.Schema) -> None:
    """A Parquet file with the table's columns and no rows."""
    write_parquet_shard([], path, schema=schema, sort_by=())
