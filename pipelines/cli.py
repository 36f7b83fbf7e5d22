"""The ``newsevents`` console script.

    newsevents run --input seeds --output output      # the pipeline ("run" is the default)
    newsevents query output "SELECT ..."              # DuckDB over the tables
    newsevents query output --file queries/rejects_report.sql --format csv
    newsevents report output                          # output/_runs/report.html
    newsevents watch --feeds feeds.txt --output lake --every 15m   # publish what is new, every 15 minutes
"""
from __future__ import annotations

import sys
from typing import List, Optional

from pipelines import news_events
from pipelines.options import RefusingParser, _DefaultsShown, beam_help, run_help
from transforms.common.errors import UsageError
from transforms.lake.run import EXIT_USAGE

COMMANDS = ("run", "watch", "query", "report")


def _object_store_defaults() -> None:
    """A lake on an object store is read with the client's defaults (``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``
    and the rest, as boto3 and pyarrow read them): Beam's file systems are given no flags."""
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import PipelineOptions

    FileSystems.set_options(PipelineOptions([]))


def query_main(argv: List[str]) -> int:
    """``newsevents query OUTPUT ["SQL" | --file q.sql] [--format table|csv|json|jsonl|parquet] [--out FILE]``."""
    from transforms.lake.query import DEFAULT_MAX_WIDTH, FORMATS, QueryError, format_rows, run_query, write_parquet

    parser = RefusingParser(prog="newsevents query", formatter_class=_DefaultsShown,
                     description="Query a lake's tables with DuckDB (read-only, confined to the lake).")
    parser.add_argument("output", metavar="LAKE", help="the lake (a run's --output)")
    parser.add_argument("sql", nargs="?", metavar="SQL", help="the query; views: articles, entities, mentions, events, "
                        "quotes, stances, rejects, event_summary, freshness (one row per run, from the manifests)")
    parser.add_argument("--file", metavar="FILE", help="read the query from this file instead")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (default), csv, json (an array), jsonl (one object per line), parquet")
    parser.add_argument("--max-width", dest="max_width", type=int, default=DEFAULT_MAX_WIDTH, metavar="N",
                        help=f"widest cell of the table view; a longer one ends in … (default {DEFAULT_MAX_WIDTH})")
    parser.add_argument("--out", metavar="FILE", help="write to this file instead of standard output (required for parquet)")
    args = parser.parse_args(argv)
    _object_store_defaults()
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
    from transforms.lake.store import is_local, join, write_atomically

    parser = RefusingParser(prog="newsevents report", formatter_class=_DefaultsShown,
                     description="Write a self-contained HTML report of a lake.")
    parser.add_argument("output", metavar="LAKE", help="the lake (a run's --output)")
    parser.add_argument("--out", metavar="FILE", help="where to write the page (default: LAKE/_runs/report.html)")
    args = parser.parse_args(argv)
    _object_store_defaults()
    try:
        page = render_report(args.output)
    except QueryError as exc:
        raise UsageError(str(exc)) from exc
    path = args.out or join(args.output, "_runs", "report.html")
    if is_local(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    write_atomically(path, page)   # on an object store too (LAKE/_runs/report.html by default)
    print(f"report written to {path}")
    return 0


HELP = """usage: newsevents <command> [options]

Turn news articles into Parquet tables of entities, events, quotes and stances, in a lake a data
engineer can query.

commands:
  run       read articles (files, feeds, URLs), extract, and publish the tables into a lake
            (the default: "newsevents --input ... --output ..." is "newsevents run ...")
  watch     every --every (15m), publish what is new in the inputs, from one long-running process
  query     run SQL (DuckDB) over a lake's tables: table, csv, json, jsonl or parquet
  report    write a self-contained HTML report of a lake

  newsevents <command> --help    a command's own options, with their defaults
  newsevents --version           the package, model, dictionary and schema versions
"""


def versions() -> str:
    """``newsevents --version``: what a run's output depends on, one line each."""
    from importlib import resources

    from schemas import SCHEMA_VERSION
    from transforms.extract.model import DEFAULT_MODEL
    from transforms.lake.manifest import model_version, package_versions

    installed = package_versions()
    lines = [f"newsevents {installed.get('newsevents') or 'unknown'}",
             f"model {DEFAULT_MODEL} {model_version(DEFAULT_MODEL) or 'not installed'}",
             f"table schema {SCHEMA_VERSION}"]
    data = []
    for package in ("transforms.extract.data", "transforms.extract.data.dictionaries", "transforms.ingest.data"):
        try:
            data += sorted(entry.name for entry in resources.files(package).iterdir()
                           if entry.is_file() and not entry.name.startswith(("_", "LICENSE", "README", "PROVENANCE")))
        except (ModuleNotFoundError, FileNotFoundError):
            continue
    lines.append("dictionaries and data " + ", ".join(data))
    lines.append("libraries " + ", ".join(f"{name} {version}" for name, version in installed.items()
                                          if name != "newsevents" and version))
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        (sys.stdout if argv else sys.stderr).write(HELP)
        return 0 if argv else EXIT_USAGE
    if argv[0] in ("--version", "-V", "version"):
        sys.stdout.write(versions())
        return 0
    run_argv = argv[1:] if argv[0] == "run" else argv
    if argv[0] == "run" or argv[0].startswith("-"):
        if "--help-beam" in run_argv:
            sys.stdout.write(beam_help())
            return 0
        if any(arg in ("-h", "--help") for arg in run_argv):
            sys.stdout.write(run_help())
            return 0
    if argv and argv[0] == "run":
        return news_events.main(argv[1:])
    if argv[0] == "watch":
        from pipelines import watch
        return watch.main(argv[1:])
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
