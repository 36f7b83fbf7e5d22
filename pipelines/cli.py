"""The ``newsevents`` console script.

    newsevents run --input seeds --output output      # the pipeline ("run" is the default)
    newsevents query output "SELECT ..."              # DuckDB over the tables
    newsevents query output --file queries/rejects_report.sql --format csv
    newsevents report output                          # output/_runs/report.html
"""
from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from pipelines import news_events
from transforms.common.errors import UsageError
from transforms.lake.run import EXIT_USAGE

COMMANDS = ("run", "query", "report")


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def query_main(argv: List[str]) -> int:
    """``newsevents query OUTPUT ["SQL" | --file q.sql] [--format table|csv|json|jsonl|parquet] [--out FILE]``."""
    from transforms.lake.query import DEFAULT_MAX_WIDTH, FORMATS, QueryError, format_rows, run_query, write_parquet

    parser = _Parser(prog="newsevents query", description="Query the output tables with DuckDB.")
    parser.add_argument("output")
    parser.add_argument("sql", nargs="?")
    parser.add_argument("--file")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (default), csv, json (an array), jsonl (one object per line), parquet")
    parser.add_argument("--max-width", dest="max_width", type=int, default=DEFAULT_MAX_WIDTH,
                        help=f"widest cell of the table view; a longer one ends in … (default {DEFAULT_MAX_WIDTH})")
    parser.add_argument("--out", help="write to this file instead of standard output (required for parquet)")
    args = parser.parse_args(argv)
    if bool(args.sql) == bool(args.file):
        raise UsageError("give either SQL or --file FILE")
    try:
        sql = args.sql or open(args.file, encoding="utf-8").read()
    except OSError as exc:
        raise UsageError(f"--file {args.file}: {exc.strerror}") from exc
    try:
        if args.format == "parquet":
            if not args.out:
                raise UsageError("--format parquet needs --out FILE")
            print(f"{write_parquet(args.output, sql, args.out)} rows written to {args.out}")
            return 0
        columns, rows = run_query(args.output, sql)
    except QueryError as exc:
        raise UsageError(f"query: {exc}") from exc
    text = format_rows(columns, rows, args.format, max_width=args.max_width)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


def report_main(argv: List[str]) -> int:
    """``newsevents report OUTPUT [--out FILE]``: a self-contained HTML report."""
    import os

    from transforms.lake.query import QueryError
    from transforms.lake.report import render_report

    parser = _Parser(prog="newsevents report", description="Write an HTML report of the output.")
    parser.add_argument("output")
    parser.add_argument("--out", help="default: OUTPUT/_runs/report.html")
    args = parser.parse_args(argv)
    try:
        page = render_report(args.output)
    except QueryError as exc:
        raise UsageError(str(exc)) from exc
    path = args.out or os.path.join(args.output, "_runs", "report.html")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    print(f"report written to {path}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "run":
        return news_events.main(argv[1:])
    if argv and argv[0] in ("query", "report"):
        try:
            return (query_main if argv[0] == "query" else report_main)(argv[1:])
        except UsageError as exc:
            print(f"newsevents {argv[0]}: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if argv and not argv[0].startswith("-"):
        print(f"newsevents: error: unknown command {argv[0]!r} (commands: {', '.join(COMMANDS)})",
              file=sys.stderr)
        return EXIT_USAGE
    return news_events.main(argv)


def console_main() -> None:
    """The ``newsevents`` console script: ``main``, then an exit that skips the interpreter's teardown.

    Everything the run wrote is closed and renamed before ``main`` returns. What the teardown would
    add is native libraries' thread clean-up at exit, which on this platform now and then aborts the
    process ("terminate called without an active exception", SIGABRT) after a successful run, turning
    exit code 0 into -6 for a scheduler; so streams and logs are flushed and the process exits at once.
    """
    import logging
    import os

    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    console_main()
