"""DuckDB over the output lake: one view per table, queries, and their output formats (no Beam)."""
from __future__ import annotations

import csv
import glob
import io
import json
import os
from typing import List, Sequence, Tuple

import duckdb
import pyarrow as pa

from schemas import DERIVED_TABLES, TABLES

FORMATS = ("table", "csv", "json", "parquet")


class QueryError(ValueError):
    """A query that DuckDB refuses, or an output that is not a lake."""


def connect(output: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per table (``articles``, ``events``, ...; empty when absent)."""
    if not os.path.isdir(output):
        raise QueryError(f"{output}: no such output directory")
    con = duckdb.connect()
    for name, schema in {**TABLES, **DERIVED_TABLES}.items():
        pattern = os.path.join(output, name, "**", "*.parquet")
        if glob.glob(pattern, recursive=True):
            quoted = pattern.replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}', "
                        f"hive_partitioning=true, union_by_name=true)")
        else:
            con.register(name, pa.Table.from_pylist([], schema=schema))
    return con


def run_query(output: str, sql: str) -> Tuple[List[str], List[tuple]]:
    """Columns and rows of ``sql`` over the lake's views."""
    con = connect(output)
    try:
        cursor = con.execute(sql)
        return [c[0] for c in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()


def format_rows(columns: Sequence[str], rows: Sequence[tuple], fmt: str) -> str:
    """Rows as a readable table, CSV or JSON lines."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "json":
        return "".join(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False) + "\n" for row in rows)
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in row] for row in rows]
    widths = [min(60, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]
    line = lambda values: " | ".join(v[:w].ljust(w) for v, w in zip(values, widths))  # noqa: E731
    out = [line(list(columns)), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def write_parquet(output: str, sql: str, path: str) -> int:
    """Write the query's result to a Parquet file; returns the row count."""
    con = connect(output)
    try:
        table = con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from exc
    finally:
        con.close()
    import pyarrow.parquet as pq
    pq.write_table(table, path)
    return table.num_rows
