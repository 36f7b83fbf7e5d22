"""The newsevents batch pipeline: local articles -> clean articles, entities, rejects.

    python -m pipelines.news_events --input 'seeds/*.txt' --output ./output

Any Beam option is accepted as it is (``--runner``, ``--direct_num_workers``,
``--direct_running_mode``...); the DirectRunner is the default.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import datetime, timezone
from importlib.util import find_spec
from typing import List, NamedTuple, Optional, Tuple

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser

from schemas import SCHEMA_VERSION
from transforms.articles import DEFAULT_MIN_WORDS
from transforms.cleaning import RulesError, load_boilerplate_rules
from transforms.ingest import (PUBLISHED_BEFORE, CleanArticles, DeduplicateArticles, ExcludePublished,
                               ReadArticles, with_run_id)
from transforms.lake import (DUPLICATE_LOG, RunInProgress, RunLock, clean_stale_staging, complete_tables,
                             keep_duplicate_log, publish, published_articles, staging_dir)
from transforms.inputs import UsageError, WebInputs, check_output, check_run_id, expand_inputs, web_inputs
from transforms.nlp import ARTICLES_PER_GROUP, AnalyseArticles, DEFAULT_BATCH_SIZE, DEFAULT_MODEL
from transforms.run_summary import (PhaseTimer, format_summary, model_version, package_versions,
                                    rejects_by_reason, table_counts, throughput, write_manifest)
from transforms.summary_table import recompute_event_summary
from transforms.shards import ARTICLES_PER_FILE, shard_count
from transforms.sinks import WriteLines, WriteTables
from transforms.fetch import FetchSettings
from transforms.fetch_state import FETCH_LOG, record_fetch_log
from transforms.stances import StanceDataError, load_topics
from transforms.web import FetchPages, FetchTask, ReadFeeds

LOG = logging.getLogger("newsevents")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3
ENTRIES_PER_FEED = 50
MIN_NLP_GROUPS = 4


class NewsEventsOptions(PipelineOptions):
    """The pipeline's own flags; Beam's flags are parsed alongside them."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--input", dest="inputs", action="append", default=None,
                            help="a file, a directory or a glob of .txt/.html/.htm/.jsonl "
                                 "articles; repeatable")
        parser.add_argument("--output", help="the output directory (tables, _runs/)")
        parser.add_argument("--run-id", dest="run_id", default=None,
                            help="names this run's files; a rerun with the same id replaces "
                                 "them (default: UTC timestamp)")
        parser.add_argument("--model", default=DEFAULT_MODEL, help="the spaCy model package")
        parser.add_argument("--feed", dest="feeds", action="append", default=None,
                            help="a feed URL (RSS, Atom or JSON Feed); repeatable")
        parser.add_argument("--feeds", dest="feeds_file", default=None,
                            help="a file of feed URLs, one per line; '#' starts a comment")
        parser.add_argument("--urls", dest="urls_file", default=None,
                            help="a file of article URLs, one per line; '#' starts a comment")
        parser.add_argument("--refetch", action="store_true", default=False,
                            help="fetch URLs again even when an earlier run fetched them")
        parser.add_argument("--allow-private-addresses", dest="allow_private", action="store_true",
                            default=False, help="lift the SSRF guard (local sites, tests)")
        parser.add_argument("--contact", default=FetchSettings.contact,
                            help="contact URL or e-mail put in the User-Agent")
        parser.add_argument("--fetch-concurrency", dest="fetch_concurrency", type=int, default=16,
                            help="requests in flight per worker")
        parser.add_argument("--per-host", dest="per_host", type=int, default=FetchSettings.per_host,
                            help="requests in flight to one host")
        parser.add_argument("--host-delay", dest="host_delay", type=float, default=FetchSettings.host_delay,
                            help="seconds between requests to one host")
        parser.add_argument("--fetch-timeout", dest="fetch_timeout", type=float,
                            default=FetchSettings.read_timeout, help="read timeout per request, seconds")
        parser.add_argument("--max-bytes", dest="max_bytes", type=int, default=FetchSettings.max_bytes,
                            help="largest body accepted, after decompression")
        parser.add_argument("--max-reject-ratio", dest="max_reject_ratio", type=float, default=None,
                            help="exit 3 when rejects / records read exceeds this (0-1)")
        parser.add_argument("--min-words", dest="min_words", type=int, default=DEFAULT_MIN_WORDS,
                            help="fewer words than this after cleaning is a reject")
        parser.add_argument("--boilerplate-rules", dest="boilerplate_rules", default=None,
                            help="a boilerplate rules JSON file replacing the packaged one")
        parser.add_argument("--nlp-batch-size", dest="nlp_batch_size", type=int,
                            default=DEFAULT_BATCH_SIZE, help="articles per nlp.pipe batch")
        parser.add_argument("--actors", dest="actor_files", action="append", default=None,
                            help="an actor dictionary (PETRARCH/Phoenix format) that adds to or "
                                 "overrides the packaged ones; repeatable")
        parser.add_argument("--agents", dest="agent_files", action="append", default=None,
                            help="an agent dictionary (PETRARCH format) added to the packaged one; "
                                 "repeatable")
        parser.add_argument("--topics", dest="topics_file", default=None,
                            help="a stance topics JSON file replacing the packaged topics.v1.json")
        parser.add_argument("--verbs", dest="verb_file", default=None,
                            help="a verb dictionary (PETRARCH format) replacing the packaged "
                                 "CAMEO.2.0.txt and its supplement")


class _UsageParser(_BeamArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parse_options(argv: Optional[List[str]]) -> Tuple[PipelineOptions, NewsEventsOptions]:
    """Parse our flags and Beam's; any flag neither knows is a usage error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any("DaskRunner" in arg for arg in argv):
        try:   # its options class lives in the runner's module (the newsevents[dask] extra)
            import apache_beam.runners.dask.dask_runner  # noqa: F401
        except ImportError as exc:
            raise UsageError("--runner DaskRunner needs the dask extra: pip install 'newsevents[dask]'") from exc
    parser = _UsageParser(allow_abbrev=False, prog="newsevents")
    seen = {}
    for cls in PipelineOptions.__subclasses__():
        seen.setdefault(str(cls), cls)
    for cls in seen.values():
        cls._add_argparse_args(parser)  # pylint: disable=protected-access
    _known, unknown = parser.parse_known_args(argv)
    if unknown:
        raise UsageError(f"unrecognised argument {unknown[0]!r}")
    options = PipelineOptions(argv)
    return options, options.view_as(NewsEventsOptions)


def default_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


class Layout(NamedTuple):
    """How a run's work is cut: NLP groups (units of parallel work) and files per table."""
    nlp_groups: int
    file_shards: int


def layout_for(files: List, web: WebInputs) -> Layout:
    """From the inputs known at launch (a feed counted as about ``ENTRIES_PER_FEED`` pages)."""
    expected = len(files) + len(web.urls) + ENTRIES_PER_FEED * len(web.feeds)
    return Layout(nlp_groups=shard_count(expected, ARTICLES_PER_GROUP, minimum=MIN_NLP_GROUPS),
                  file_shards=shard_count(expected, ARTICLES_PER_FILE))


def build_pipeline(pipeline, files, *, args: NewsEventsOptions, run_id: str, started: datetime,
                   destination: str, known_articles: dict, web: WebInputs, layout: Layout):
    """Wire read -> clean -> deduplicate -> NLP -> write (into ``destination``) onto ``pipeline``."""
    read = pipeline | "ListInputs" >> beam.Create(files) | "Read" >> ReadArticles()
    parsed, fetch_rejects, fetch_duplicates, logs = [read["parsed"]], [], [], []
    if web.feeds or web.urls:
        settings = web.settings
        feeds = pipeline | "ListFeeds" >> beam.Create(web.feeds) | "Feeds" >> ReadFeeds(settings, web.validators)
        tasks = ((feeds["tasks"], pipeline | "ListUrls" >> beam.Create([FetchTask(u) for u in web.urls]))
                 | "AllTasks" >> beam.Flatten())
        fetched = tasks | "FetchPages" >> FetchPages(settings, known_urls=web.known, refetch=args.refetch,
                                                     concurrency=args.fetch_concurrency)
        parsed.append(fetched["parsed"])
        fetch_rejects = [feeds["rejected"], fetched["rejected"]]
        fetch_duplicates = [fetched["duplicates"]]
        log = os.path.join(destination, FETCH_LOG)
        logs = [fetched["fetched"] | "WriteFetchLog" >> WriteLines(os.path.join(log, "fetched")),
                feeds["validators"] | "WriteFeedLog" >> WriteLines(os.path.join(log, "feeds"))]
    parsed = tuple(parsed) | "AllParsed" >> beam.Flatten()
    cleaned = parsed | "Clean" >> CleanArticles(
        run_id=run_id, ingested_at=started, min_words=args.min_words,
        rules_path=args.boilerplate_rules)
    unique = cleaned["articles"] | "Deduplicate" >> DeduplicateArticles()
    versioned = unique["articles"] | "ExcludePublished" >> ExcludePublished(known_articles)
    new = versioned["articles"]
    duplicates = ((unique["duplicates"], versioned["duplicates"], *fetch_duplicates)
                  | "AllDuplicates" >> beam.Flatten()
                  | "DuplicateJson" >> beam.Map(json.dumps, sort_keys=True))
    logs.append(duplicates | "WriteDuplicateLog" >> WriteLines(os.path.join(destination, DUPLICATE_LOG, "duplicates")))
    analysed = new | "NLP" >> AnalyseArticles(
        model=args.model, batch_size=args.nlp_batch_size, groups=layout.nlp_groups,
        actor_files=args.actor_files or (), agent_files=args.agent_files or (), verb_file=args.verb_file,
        topics_file=args.topics_file)
    rejects = ((read["rejected"], cleaned["rejected"], analysed["rejected"], *fetch_rejects)
               | "AllRejects" >> beam.Flatten()
               | "StampRunId" >> beam.Map(with_run_id, run_id))
    tables = {
        "articles": new,
        "entities": analysed["entities"],
        "rejects": rejects,
        "events": analysed["events"],
        "stances": analysed["stances"],
    }
    written = tables | "Write" >> WriteTables(output=destination, ingest_date=started.date().isoformat(),
                                               run_id=run_id, shards=layout.file_shards)
    # Last, and depending on every write: runners that compute only the final step's lineage
    # (the DaskRunner) still write everything.
    return (written, *logs) | "AllWritten" >> beam.Flatten()


def _release_client(result) -> None:
    """Close the Dask client the DaskRunner opens per run and leaves open."""
    client = getattr(result, "client", None)
    if client is not None:
        client.close()


def _counters(result) -> dict:
    """Beam counters by name, and ``stage_seconds`` from the stage timing distributions."""
    try:
        found = result.metrics().query(MetricsFilter().with_namespace("newsevents"))
    except Exception as exc:  # noqa: BLE001 - some runners do not report metrics
        LOG.warning("could not read Beam metrics: %s", exc)
        return {}
    totals: dict = {}
    for counter in found["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    stages: dict = {}
    for distribution in found.get("distributions", []):
        value = distribution.committed or distribution.attempted
        name = distribution.key.metric.name
        if value is not None and name.startswith("stage_ms."):
            stage = name.split(".", 1)[1]
            stages[stage] = round(stages.get(stage, 0) + value.sum / 1000, 2)
    if stages:
        totals["stage_seconds"] = stages
    return totals


def run(argv: Optional[List[str]] = None, *, now: Optional[datetime] = None) -> dict:
    """Run the pipeline and return its manifest (also written to ``OUTPUT/_runs``).

    Raises:
        UsageError: a bad flag, a missing input, an unwritable output, a bad run id,
            bad boilerplate rules or a model that is not installed.
    """
    options, args = parse_options(argv)
    started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run_id = check_run_id(args.run_id or default_run_id(started))
    check_output(args.output)
    web = web_inputs(feeds=args.feeds, feeds_file=args.feeds_file, urls_file=args.urls_file,
                     output=args.output, refetch=args.refetch,
                     settings=FetchSettings(contact=args.contact, read_timeout=args.fetch_timeout,
                                            max_bytes=args.max_bytes, per_host=args.per_host,
                                            host_delay=args.host_delay, allow_private=args.allow_private))
    files = expand_inputs(args.inputs or []) if (args.inputs or not (web.feeds or web.urls)) else []
    try:
        rules = load_boilerplate_rules(args.boilerplate_rules)
    except (OSError, RulesError) as exc:
        raise UsageError(f"--boilerplate-rules: {exc}") from exc
    if find_spec(args.model) is None:
        raise UsageError(f"--model {args.model}: no such spaCy model package is installed")
    for flag, paths in (("--actors", args.actor_files), ("--agents", args.agent_files),
                        ("--verbs", [args.verb_file] if args.verb_file else [])):
        for path in paths or []:
            if not os.path.isfile(path):
                raise UsageError(f"{flag} {path}: no such file")
    if args.topics_file:
        try:
            load_topics(args.topics_file)
        except (OSError, StanceDataError) as exc:
            raise UsageError(f"--topics {args.topics_file}: {exc}") from exc
    if args.min_words < 1 or args.nlp_batch_size < 1:
        raise UsageError("--min-words and --nlp-batch-size must be positive")

    if args.max_reject_ratio is not None and not 0 <= args.max_reject_ratio <= 1:
        raise UsageError("--max-reject-ratio must be between 0 and 1")

    manifest = {
        "run_id": run_id, "status": "running", "started_at": started.isoformat(),
        "output": args.output, "inputs": args.inputs,
        "options": options.get_all_options(drop_default=True),
        "versions": {**package_versions(), "model": args.model,
                     "model_version": model_version(args.model),
                     "boilerplate_rules": rules.version, "schema": SCHEMA_VERSION},
    }
    clock, phases = time.monotonic(), PhaseTimer()
    try:
        with RunLock(args.output, run_id):
            with phases("prepare"):
                manifest["recovered"] = clean_stale_staging(args.output)
                known = published_articles(args.output, excluding_run=run_id)
                pipeline = beam.Pipeline(options=options)
                layout = layout_for(files, web)
                build_pipeline(pipeline, files, args=args, run_id=run_id, started=started,
                               destination=staging_dir(args.output, run_id), known_articles=known, web=web,
                               layout=layout)
            with phases("pipeline"):
                result = pipeline.run()
                try:
                    result.wait_until_finish()
                finally:
                    _release_client(result)
            with phases("publish"):
                complete_tables(args.output, run_id, ingest_date=started.date().isoformat(),
                                shards=layout.file_shards)
                feeds_read = record_fetch_log(args.output, os.path.join(staging_dir(args.output, run_id), FETCH_LOG),
                                              run_id=run_id, fetched_at=started.isoformat())
                duplicates_log, duplicates = keep_duplicate_log(args.output, run_id)
                publish(args.output, run_id)
            with phases("event_summary"):
                touched = recompute_event_summary(args.output, run_id)
    except RunInProgress as exc:
        raise UsageError(str(exc)) from exc
    except Exception as exc:
        manifest.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                        finished_at=datetime.now(timezone.utc).isoformat(),
                        wall_seconds=time.monotonic() - clock, phase_seconds=phases.seconds)
        write_manifest(args.output, run_id, manifest)
        raise
    counters = _counters(result)
    published_before = sum(duplicate["why"] == PUBLISHED_BEFORE for duplicate in duplicates)
    counts = table_counts(args.output, run_id)
    records = counters.get("records_read", 0 if counters else None)
    ratio = counts["rejects"] / records if records else 0.0
    too_many = args.max_reject_ratio is not None and ratio > args.max_reject_ratio
    wall = time.monotonic() - clock
    manifest.update(
        status="succeeded_with_rejects_over_threshold" if too_many else "succeeded",
        exit_code=EXIT_TOO_MANY_REJECTS if too_many else EXIT_OK,
        finished_at=datetime.now(timezone.utc).isoformat(),
        wall_seconds=wall,
        articles_per_second=throughput(counts["articles"], wall),
        phase_seconds=phases.seconds,
        counts={"input_files": len(files), "records_read": records,
                # from the Beam counters; from the duplicates log on runners without metrics (Dask)
                "duplicates": counters.get("duplicates", 0) if counters else len(duplicates) - published_before,
                "duplicates_published": counters.get("duplicates_published", 0) if counters else published_before,
                **counts},
        reject_ratio=round(ratio, 4),
        rejects_by_reason=rejects_by_reason(args.output, run_id),
        event_summary_days=touched,
        duplicates_log=duplicates_log,
        feeds=feeds_read,
        stage_seconds=counters.pop("stage_seconds", None),
        metrics=counters,
    )
    manifest["manifest_path"] = write_manifest(args.output, run_id, manifest)
    return manifest


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry: prints the run summary.

    Exit codes for schedulers: 0 success; 1 the run failed; 2 bad usage; 3 success, but rejects
    exceeded ``--max-reject-ratio``.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        manifest = run(argv)
    except UsageError as exc:
        print(f"newsevents: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a failed run: reason on one line, trace in the log
        LOG.error("run failed", exc_info=True)
        print(f"newsevents: run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(format_summary(manifest))
    return manifest["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
