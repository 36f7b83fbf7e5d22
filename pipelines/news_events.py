"""The newsevents batch pipeline: articles -> articles, entities, events, quotes, stances and rejects.

    python -m pipelines.news_events --input 'seeds/*.txt' --output ./output

Any Beam option is accepted as it is (``--runner``, ``--direct_num_workers``,
``--direct_running_mode``...); the default is Beam's in-process FnApiRunner (what the DirectRunner runs,
without its attempt to download the Prism runner).
"""
from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone
from typing import List, Optional

from pipelines.chunks import run_chunks
from pipelines.options import check_flags, fetch_settings, lease_times, parse_options, public_options
from schemas import SCHEMA_VERSION
from transforms.beam.plan import cut_chunks, plan_work
from transforms.common.errors import UsageError
from transforms.common.logs import configure_logging, logging_flags
from transforms.common.stopping import critical_section
from transforms.ingest.sources import expand_inputs, remote_stamps, web_inputs
from transforms.lake.manifest import format_summary, model_version, package_versions
from transforms.lake.run import EXIT_FAILED, EXIT_USAGE, LakeRun, check_output, check_run_id, default_run_id

LOG = logging.getLogger("newsevents")


def run(argv: Optional[List[str]] = None, *, now: Optional[datetime] = None, held=None) -> dict:
    """Run the pipeline and return its manifest (also written to ``OUTPUT/_runs``). ``held``: the lake's
    lock or lease when the caller holds it already (``pipelines.watch``); an ``--input`` folder or glob
    with nothing in it is then no mistake (an inbox can be empty between two ticks).

    Raises:
        UsageError: a bad flag, a missing input, an unwritable output, a bad run id,
            bad boilerplate rules, a model that is not installed, or the run id already running.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    options, args = parse_options(argv)
    rules = check_flags(args)
    started = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run_id = check_run_id(args.run_id or default_run_id(started))
    check_output(args.output, options)
    web = web_inputs(feeds=args.feeds, feeds_file=args.feeds_file, urls_file=args.urls_file,
                     settings=fetch_settings(args))
    files = (expand_inputs(args.inputs or [], options, allow_empty=held is not None)
             if (args.inputs or not (web.feeds or web.urls)) else [])
    details = {"inputs": args.inputs, "options": public_options(options),
               "versions": {**package_versions(), "model": args.model, "model_version": model_version(args.model),
                            "boilerplate_rules": rules.version, "schema": SCHEMA_VERSION}}
    with LakeRun(args.output, run_id, started=started, details=details, options=options,
                 lease=lease_times(args), held=held) as lake_run:
        with lake_run.phase("prepare"):
            known = lake_run.recover()
            web = lake_run.with_fetch_state(web, refetch=args.refetch)
            files = lake_run.new_inputs(files, reprocess=args.reprocess, remote=remote_stamps(args.inputs))
            chunks = cut_chunks(files, web, args.chunk_size)
            stories = lake_run.published_stories(args.story_window_days)
        LOG.info("run %s: %d input files to read (%d unchanged since published), %d URLs, %d feeds; into %s",
                 run_id, len(files), lake_run.unchanged_inputs, len(web.urls), len(web.feeds), args.output)
        with lake_run.phase("pipeline"), lake_run.watch(inputs=len(files) + len(web.urls), interval=args.progress_interval,
                                                        worker_log_level=args.beam_log_level):
            counters = run_chunks(chunks, argv, target=lake_run.target, known=known, stories=stories)
        with critical_section():   # a stop signal waits from here until the manifest is written
            lake_run.publish(shards=plan_work(chunks[0].files, chunks[0].web).file_shards)
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
