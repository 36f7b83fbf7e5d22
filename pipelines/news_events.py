"""The newsevents batch pipeline: articles -> articles, entities, events, quotes, stances and rejects.

    python -m pipelines.news_events --input 'seeds/*.txt' --output ./output

Any Beam option is accepted as it is (``--runner``, ``--direct_num_workers``,
``--direct_running_mode``...); the default is Beam's in-process FnApiRunner (what the DirectRunner runs,
without its attempt to download the Prism runner).
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import List, Optional

import apache_beam as beam

from pipelines.options import (NewsEventsOptions, check_flags, fetch_settings, parse_options, public_options,
                               quiet_runner)
from schemas import SCHEMA_VERSION
from transforms.beam.analyse import AnalyseArticles
from transforms.beam.dedupe import DeduplicateArticles, ExcludePublished
from transforms.beam.fetch import FetchWeb
from transforms.beam.metrics import read_counters
from transforms.beam.plan import WorkPlan, plan_work
from transforms.beam.read import CleanArticles, ReadArticles, with_run_id
from transforms.beam.stories import WithStories, sign
from transforms.beam.write import WriteLines, WriteTables
from transforms.common.errors import UsageError
from transforms.common.logs import configure_logging, logging_flags
from transforms.ingest.sources import WebInputs, expand_inputs, web_inputs
from transforms.lake.manifest import format_summary, model_version, package_versions
from transforms.lake.run import EXIT_FAILED, EXIT_USAGE, LakeRun, check_output, check_run_id, default_run_id

LOG = logging.getLogger("newsevents")


def build_pipeline(pipeline, files, *, args: NewsEventsOptions, run: LakeRun, known_articles: dict,
                   web: WebInputs, plan: WorkPlan):
    """Wire read -> clean -> deduplicate -> sign -> NLP -> stories -> write (into staging) onto ``pipeline``."""
    read = pipeline | "ListInputs" >> beam.Create(files) | "Read" >> ReadArticles()
    parsed, rejects, duplicates, written = [read["parsed"]], [read["rejected"]], [], []
    if web.feeds or web.urls:
        fetched = pipeline | "Fetch" >> FetchWeb(web, refetch=args.refetch, concurrency=args.fetch_concurrency,
                                                  log_dir=run.fetch_log_dir)
        parsed.append(fetched["parsed"])
        rejects.append(fetched["rejected"])
        duplicates.append(fetched["duplicates"])
        written.append(fetched["written"])
    cleaned = (tuple(parsed) | "AllParsed" >> beam.Flatten()
               | "Clean" >> CleanArticles(run_id=run.run_id, ingested_at=run.started, min_words=args.min_words,
                                          rules_path=args.boilerplate_rules))
    unique = cleaned["articles"] | "Deduplicate" >> DeduplicateArticles()
    versioned = unique["articles"] | "ExcludePublished" >> ExcludePublished(known_articles)
    written.append((unique["duplicates"], versioned["duplicates"], *duplicates)
                   | "AllDuplicates" >> beam.Flatten()
                   | "DuplicateJson" >> beam.Map(json.dumps, sort_keys=True)
                   | "WriteDuplicateLog" >> WriteLines(run.duplicates_prefix))
    signed = versioned["articles"] | "Sign" >> beam.Map(sign)
    analysed = signed | "NLP" >> AnalyseArticles(
        model=args.model, batch_size=args.nlp_batch_size, groups=plan.nlp_groups,
        actor_files=args.actor_files or (), agent_files=args.agent_files or (), verb_file=args.verb_file,
        topics_file=args.topics_file)
    rejects += [cleaned["rejected"], analysed["rejected"]]
    tables = {
        # an article whose NLP failed is a reject, not an article (nor the first of a story)
        "articles": analysed["articles"] | "Stories" >> WithStories(run.published_stories(args.story_window_days)),
        "entities": analysed["entities"],
        "rejects": tuple(rejects) | "AllRejects" >> beam.Flatten() | "StampRunId" >> beam.Map(with_run_id, run.run_id),
        "events": analysed["events"],
        "quotes": analysed["quotes"],
        "stances": analysed["stances"],
    }
    written.append(tables | "Write" >> WriteTables(output=run.staging, ingest_date=run.ingest_date,
                                                    run_id=run.run_id, shards=plan.file_shards))
    # Last, and depending on every write: runners that compute only the final step's lineage
    # (the DaskRunner) still write everything.
    return tuple(written) | "AllWritten" >> beam.Flatten()


def _run_to_completion(pipeline) -> dict:
    """Run ``pipeline``, wait for it, close the Dask client the DaskRunner leaves open; its counters."""
    result = pipeline.run()
    try:
        result.wait_until_finish()
    finally:
        client = getattr(result, "client", None)
        if client is not None:
            client.close()
    return read_counters(result)


def run(argv: Optional[List[str]] = None, *, now: Optional[datetime] = None) -> dict:
    """Run the pipeline and return its manifest (also written to ``OUTPUT/_runs``).

    Raises:
        UsageError: a bad flag, a missing input, an unwritable output, a bad run id,
            bad boilerplate rules, a model that is not installed, or the run id already running.
    """
    options, args = parse_options(argv)
    rules = check_flags(args)
    started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run_id = check_run_id(args.run_id or default_run_id(started))
    check_output(args.output, options)
    web = web_inputs(feeds=args.feeds, feeds_file=args.feeds_file, urls_file=args.urls_file,
                     settings=fetch_settings(args))
    files = expand_inputs(args.inputs or [], options) if (args.inputs or not (web.feeds or web.urls)) else []
    details = {"inputs": args.inputs, "options": public_options(options),
               "versions": {**package_versions(), "model": args.model, "model_version": model_version(args.model),
                            "boilerplate_rules": rules.version, "schema": SCHEMA_VERSION}}
    with LakeRun(args.output, run_id, started=started, details=details, options=options) as lake_run:
        with lake_run.phase("prepare"):
            known = lake_run.recover()
            web = lake_run.with_fetch_state(web, refetch=args.refetch)
            files = lake_run.new_inputs(files, reprocess=args.reprocess)
            pipeline = beam.Pipeline(runner=quiet_runner(options), options=options)
            plan = plan_work(files, web)
            build_pipeline(pipeline, files, args=args, run=lake_run, known_articles=known, web=web, plan=plan)
        LOG.info("run %s: %d input files to read (%d unchanged since published), %d URLs, %d feeds; into %s",
                 run_id, len(files), lake_run.unchanged_inputs, len(web.urls), len(web.feeds), args.output)
        with lake_run.phase("pipeline"), lake_run.watch(inputs=len(files) + len(web.urls), interval=args.progress_interval,
                                                        worker_log_level=args.beam_log_level):
            # nothing new: no pipeline to start (and no model to load), an empty run is published
            counters = _run_to_completion(pipeline) if files or web.urls or web.feeds else {"records_read": 0}
        lake_run.publish(shards=plan.file_shards)
        return lake_run.succeed(counters, input_files=len(files), max_reject_ratio=args.max_reject_ratio)


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry: prints the run summary; returns the exit code (``transforms.lake.run``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    flags = logging_flags(argv)
    configure_logging(flags.log_level, flags.log_format, flags.beam_log_level)
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
