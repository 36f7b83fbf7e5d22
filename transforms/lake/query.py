"""DuckDB over the output lake: one view per table, queries, and their output formats (no Beam)."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import List, Sequence, Tuple

import duckdb
import pyarrow as pa

from schemas import DERIVED_TABLES, TABLES
from transforms.lake.freshness import freshness_table
from transforms.lake.shards import sql_list, table_files
from transforms.lake.staging import LakeDamaged, check_readable
from transforms.lake.store import arrow_filesystem, is_local, list_files
from transforms.lake.tables import create_view

FORMATS = ("table", "csv", "json", "jsonl", "parquet")


class QueryError(ValueError):
    """A query that DuckDB refuses, or an output that is not a lake."""


def connect(output: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per table (``articles``, ``events``, ...; empty when absent),
    confined to the lake: it reads no file outside ``output``, installs and loads no extension, and
    its settings cannot be changed back (DuckDB's ``enable_external_access``, ``allowed_directories``
    and ``lock_configuration``). A lake on an object store is read through pyarrow's file system for
    its scheme, configured as boto3 is (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``...)."""
    local = is_local(output)
    root = os.path.abspath(output) if local else output.rstrip("/")
    if local and not os.path.isdir(output):
        raise QueryError(f"{output}: no such output directory")
    try:
        files = {name: table_files(root, name) for name in {**TABLES, **DERIVED_TABLES}}
        if local:
            is_lake = any(os.path.isdir(os.path.join(root, name)) for name in [*TABLES, "_runs"])
        else:   # no folders on an object store: keys
            is_lake = any(files.values()) or bool(list_files(root, "_runs/*.json"))
        if not is_lake:
            raise QueryError(f"{output}: not a newsevents lake (no tables and no _runs/ in it)")
        filesystem = arrow_filesystem(root)[0]
        check_readable(root, tuple(TABLES) + tuple(DERIVED_TABLES), filesystem=filesystem)
    except LakeDamaged as exc:
        raise QueryError(str(exc)) from exc
    except (OSError, ValueError) as exc:   # an object store that cannot be listed (bucket, credentials)
        raise QueryError(f"{output}: cannot be read ({' '.join(str(exc).split())[:300]})") from exc
    con = duckdb.connect()
    for name, schema in {**TABLES, **DERIVED_TABLES}.items():
        # Every column of the schema, also over files written before a column was added (null there).
        con.register(f"_empty_{name}", pa.Table.from_pylist([], schema=schema))
        if files[name]:   # listed here: a "[" or "'" in the lake's path is a character, not a pattern
            create_view(con, f"_files_{name}", root, name, files[name], filesystem=filesystem)
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _files_{name} UNION ALL BY NAME SELECT * FROM _empty_{name}")
        else:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM _empty_{name}")
    con.execute(f"SET allowed_directories = {sql_list([root + os.sep] if local else [])}")
    for setting in ("enable_external_access", "autoinstall_known_extensions", "autoload_known_extensions"):
        con.execute(f"SET {setting} = false")
    con.execute("SET lock_configuration = true")
    return con


def _only_queries(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """``newsevents query`` reads: a statement that would write, attach, install or set is refused."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    if not statements:
        raise QueryError("no query given")
    for statement in statements:
        if statement.type != duckdb.StatementType.SELECT:
            kind = str(statement.type).rsplit(".", 1)[-1]
            raise QueryError(f"only queries (SELECT, WITH ... SELECT) are run here, not {kind}")


class LakeQueries:
    """Queries over one connection to a lake (listing its files and checking them once):
    ``with LakeQueries(output) as query: columns, rows = query("SELECT ...")``; read-only, as ``run_query``."""

    def __init__(self, output: str):
        self.con = connect(output)
        self.output = output
        self._freshness = False

    def __enter__(self) -> "LakeQueries":
        return self

    def __exit__(self, *exc_info) -> None:
        self.con.close()

    def __call__(self, sql: str) -> Tuple[List[str], List[tuple]]:
        try:
            _only_queries(self.con, sql)
            if not self._freshness and re.search(r"\bfreshness\b", sql, re.IGNORECASE):
                # read from the manifests when a query names it (a lake may have thousands of them)
                self.con.register("freshness", freshness_table(self.output))
                self._freshness = True
            cursor = self.con.execute(sql)
            return [c[0] for c in cursor.description], cursor.fetchall()
        except duckdb.Error as exc:
            raise QueryError(str(exc).splitlines()[0]) from exc


def run_query(output: str, sql: str) -> Tuple[List[str], List[tuple]]:
    """Columns and rows of ``sql`` over the lake's views (read-only, confined to the lake)."""
    with LakeQueries(output) as query:
        return query(sql)


#: Widest cell of the table view, in characters, unless ``--max-width`` says otherwise.
DEFAULT_MAX_WIDTH = 60
ELLIPSIS = "…"


def _plain(value):
    """A value as JSON has it: dates and times in ISO 8601, lists and structs as JSON arrays and objects."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


def _cell(value) -> str:
    """A value in one CSV or table cell: lists and structs as JSON, None as empty."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def format_rows(columns: Sequence[str], rows: Sequence[tuple], fmt: str, *,
                max_width: int = DEFAULT_MAX_WIDTH) -> str:
    """Rows as a readable table, CSV (RFC 4180 quoting, LF line ends, lists as JSON), a JSON array
    (``json``) or JSON Lines (``jsonl``), one object per row."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return buffer.getvalue()
    if fmt in ("json", "jsonl"):
        objects = [json.dumps({c: _plain(v) for c, v in zip(columns, row)}, ensure_ascii=False) for row in rows]
        if fmt == "jsonl":
            return "".join(line + "\n" for line in objects)
        return "[" + ",\n ".join(objects) + "]\n"
    cells = [[" ".join(_cell(v).split()) for v in row] for row in rows]
    width = max(2, max_width)
    widths = [min(width, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]

    def cut(value: str, w: int) -> str:
        return value if len(value) <= w else value[:w - 1] + ELLIPSIS

    line = lambda values: " | ".join(cut(v, w).ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(list(columns)), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def write_parquet(output: str, sql: str, path: str) -> int:
    """Write the query's result to a Parquet file; returns the row count."""
    con = connect(output)
    try:
        _only_queries(con, sql)
        table = con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
    import pyarrow.parquet as pq
    pq.write_table(table, path)
    return table.num_rows
