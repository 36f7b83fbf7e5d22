"""Running a run's chunks (``transforms.beam.plan``): one pipeline each into the run's staging, then, when
there are several, the stories of all of them linked in the launcher (no pipeline).

Beam's in-process runner keeps memory in the process that launches its pipelines, in proportion to what
each of them moved, until that process ends (a bare pipeline run twelve times in one process grows it
262 -> 319 MiB; docs/operations.md, "Large inboxes"). So on that runner a run in several chunks launches each
pipeline from a fresh process of its own, which ends with it: the launcher keeps only what the next
chunk needs (the names of the files where the earlier chunks staged what they kept, the published
articles and stories), whatever the inbox's size, for about two seconds of imports per chunk. A run in
one chunk, and every other runner (which holds a pipeline's data elsewhere), runs its pipelines in the
launcher.
"""
from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, List, Optional, Tuple

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import StandardOptions

from pipelines.options import IN_PROCESS_RUNNER, parse_options, quiet_runner
from transforms.beam.graph import build_pipeline, kept_files
from transforms.beam.metrics import add_counters, read_counters
from transforms.beam.plan import Chunk
from transforms.beam.stories import link_staged_stories
from transforms.common.logs import configure_logging, logging_flags
from transforms.common.progress import flush as flush_progress
from transforms.lake.run import RunTarget
from transforms.lake.shards import table_files

LOG = logging.getLogger("newsevents")


class ChunkProcessDied(RuntimeError):
    """The fresh process running a chunk's pipeline ended without an answer (killed, out of memory)."""


def run_chunks(chunks: List[Chunk], argv: List[str], *, target: RunTarget, known: dict,
               stories: list) -> dict:
    """Every chunk's pipeline, then (several chunks) the story pass in the launcher; the counters of all of them (none
    on a runner without metrics). ``argv``: the run's command line, which each pipeline's options
    are parsed from."""
    several = len(chunks) > 1
    launch = in_fresh_process if several and _in_process_runner(argv) else _here
    counters: Optional[dict] = None
    kept: List[str] = []
    for chunk in chunks:
        if not (chunk.files or chunk.web.urls or chunk.web.feeds):
            continue   # nothing new: no pipeline to start (and no model to load), an empty run is published
        if several:
            LOG.info("chunk %d of %d: %d input files%s", chunk.number, chunk.of, len(chunk.files),
                     " and the feeds and URLs" if chunk.web.urls or chunk.web.feeds else "")
        counters = add_counters(counters or {}, launch(
            run_chunk, argv, chunk, target, known, kept, None if several else stories))
        if several:
            kept = kept + kept_files(target, chunk)
    if several:
        LOG.info("linking the stories of the %d chunks", len(chunks))
        linked = link_staged_stories(table_files(target.staging, "articles"), stories)
        if counters:   # on a runner without metrics the run has none, and the story pass's alone would mislead
            counters = add_counters(counters, linked)
    return {"records_read": 0} if counters is None else counters


def run_chunk(argv: List[str], chunk: Chunk, target: RunTarget, known: dict, earlier_kept: List[str],
              stories: Optional[List[Tuple]]) -> dict:
    """Build and run one chunk's pipeline (``transforms.beam.graph.build_pipeline``); its counters."""
    pipeline, args = _pipeline(argv)
    build_pipeline(pipeline, chunk, args=args, run=target, known_articles=known, earlier_kept=earlier_kept,
                   published_stories=stories)
    try:
        return _run_to_completion(pipeline)
    finally:
        flush_progress()   # a chunk's own process ends with its pipeline: its last counts still reach the launcher


def _pipeline(argv: List[str]):
    options, args = parse_options(argv)
    FileSystems.set_options(options)   # this process lists the staging too (an object store's endpoint, keys)
    return beam.Pipeline(runner=quiet_runner(options), options=options), args


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


def _in_process_runner(argv: List[str]) -> bool:
    return parse_options(argv)[0].view_as(StandardOptions).runner == IN_PROCESS_RUNNER


def _here(function: Callable, *args):
    return function(*args)


def in_fresh_process(function: Callable, argv: List[str], *args):
    """``function(argv, *args)`` in a new Python process (spawned, not forked: nothing of the launcher's
    threads or memory goes with it), logging as ``argv`` asks; its result, or its exception raised here.

    Raises:
        ChunkProcessDied: the process ended without an answer.
    """
    flags = logging_flags(argv)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                             initializer=configure_logging,
                             initargs=(flags.log_level, flags.log_format, flags.beam_log_level)) as pool:
        try:
            return pool.submit(function, argv, *args).result()
        except BrokenProcessPool as exc:
            raise ChunkProcessDied(f"the process running a chunk's pipeline died ({exc})") from exc
