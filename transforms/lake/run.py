"""A run's life in the lake: checks, lock, recovery, staging, publishing and the manifest (no Beam pipeline).

The pipeline entry point drives a run with a handful of calls::

    check_output(output); check_run_id(run_id)
    with LakeRun(output, run_id, started=..., details=...) as run:
        with run.phase("prepare"):
            known = run.recover()                  # finish or drop runs that died; what is published
            web = run.with_fetch_state(web, refetch=...)
            ... build the pipeline, writing under run.staging ...
        with run.phase("pipeline"):
            ... run it ...
        run.publish(shards=...)                    # every table complete, then atomically visible
    manifest = run.succeed(counters, ...)

A run that raises inside the ``with`` leaves a ``failed`` manifest and nothing published
(``transforms.lake.staging`` explains the commit protocol).
"""
from __future__ import annotations

import os
import re
import time
import uuid
from dataclasses import replace
from datetime import datetime, timezone
from typing import Dict, List, Optional, Tuple

from apache_beam.io.filesystems import FileSystems

from schemas.duplicates import PUBLISHED_BEFORE
from transforms.common.errors import UsageError
from transforms.lake.event_summary import recompute_event_summary
from transforms.lake.fetch_state import FETCH_LOG, feed_validators, known_urls, record_fetch_log
from transforms.lake.manifest import PhaseTimer, count_rejects_by_reason, table_counts, throughput, write_manifest
from transforms.lake.staging import (
    DUPLICATE_LOG,
    RunInProgress,
    RunLock,
    clean_stale_staging,
    complete_tables,
    keep_duplicate_log,
    publish,
    published_articles,
    staging_dir,
)

RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Exit codes for schedulers, recorded in the manifest: 0 success; 1 the run failed; 2 bad usage;
#: 3 success, but rejects exceeded ``--max-reject-ratio``.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3


def check_output(output: str) -> None:
    """Create the output directory if needed and prove it is writable.

    Raises:
        UsageError: it cannot be created or written.
    """
    if not output:
        raise UsageError("no output: give --output DIR")
    if FileSystems.get_scheme(output) not in (None, "file"):
        return  # remote stores are checked by the write itself
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"--output {output}: exists and is not a directory")
    probe = os.path.join(output, f".write-probe-{uuid.uuid4().hex}")
    try:
        os.makedirs(output, exist_ok=True)
        with open(probe, "w", encoding="utf-8") as handle:
            handle.write("ok")
        os.remove(probe)
    except OSError as exc:
        raise UsageError(f"--output {output}: not writable ({exc.strerror or exc})") from exc


def check_run_id(run_id: str) -> str:
    """Run ids name files, so they are restricted to letters, digits, '.', '_' and '-'."""
    if not RUN_ID_PATTERN.match(run_id or ""):
        raise UsageError(f"--run-id {run_id!r}: use letters, digits, '.', '_' and '-' (at most 128)")
    return run_id


def default_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


class LakeRun:
    """One run of the pipeline against the lake at ``output``; a context manager holding the run's lock.

    Args:
        details: what the manifest records of the run besides its outcome (inputs, options, versions).

    Raises:
        UsageError: (on entering) another process is running the same run id.
    """

    def __init__(self, output: str, run_id: str, *, started: datetime, details: dict):
        self.output = output
        self.run_id = run_id
        self.started = started
        self.ingest_date = started.date().isoformat()
        self.staging = staging_dir(output, run_id)
        self.fetch_log_dir = os.path.join(self.staging, FETCH_LOG)
        self.duplicates_prefix = os.path.join(self.staging, DUPLICATE_LOG, "duplicates")
        self.manifest = {"run_id": run_id, "status": "running", "started_at": started.isoformat(),
                         "output": output, **details}
        self.phase = PhaseTimer()
        self._clock = time.monotonic()
        self._lock = RunLock(output, run_id)
        self._duplicates: List[dict] = []

    def __enter__(self) -> "LakeRun":
        try:
            self._lock.__enter__()
        except RunInProgress as exc:
            raise UsageError(str(exc)) from exc
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        self._lock.__exit__(exc_type, exc, traceback)
        if exc is not None:
            self.manifest.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                                 finished_at=datetime.now(timezone.utc).isoformat(),
                                 wall_seconds=time.monotonic() - self._clock, phase_seconds=self.phase.seconds)
            write_manifest(self.output, self.run_id, self.manifest)
        return False

    def recover(self) -> Dict[str, Tuple[int, List[str]]]:
        """Finish publishing runs that died while publishing, drop the staging of runs that died
        before; returns ``{article_id: (highest version, content hashes)}`` published by other runs."""
        self.manifest["recovered"] = clean_stale_staging(self.output)
        return published_articles(self.output, excluding_run=self.run_id)

    def with_fetch_state(self, web, *, refetch: bool):
        """``web`` (``WebInputs``) with the feed validators and the URLs earlier runs fetched."""
        return replace(web, validators=feed_validators(self.output) if web.feeds else {},
                       known=known_urls(self.output) if (web.feeds or web.urls) and not refetch else set())

    def publish(self, *, shards: int) -> None:
        """Make the staged run visible: every table given a file, the fetch state and the duplicates
        log recorded, the files renamed into the tables; then the event summary of its days."""
        with self.phase("publish"):
            complete_tables(self.output, self.run_id, ingest_date=self.ingest_date, shards=shards)
            self.manifest["feeds"] = record_fetch_log(self.output, self.fetch_log_dir, run_id=self.run_id,
                                                      fetched_at=self.started.isoformat())
            self.manifest["duplicates_log"], self._duplicates = keep_duplicate_log(self.output, self.run_id)
            publish(self.output, self.run_id)
        with self.phase("event_summary"):
            self.manifest["event_summary_days"] = recompute_event_summary(self.output, self.run_id)

    def succeed(self, counters: dict, *, input_files: int, max_reject_ratio: Optional[float]) -> dict:
        """Write the manifest of a published run; ``counters`` are the Beam counters (empty on
        runners without metrics, where duplicates are counted from the duplicates log)."""
        counters = dict(counters)
        published_before = sum(duplicate["why"] == PUBLISHED_BEFORE for duplicate in self._duplicates)
        counts = table_counts(self.output, self.run_id)
        records = counters.get("records_read", 0 if counters else None)
        ratio = counts["rejects"] / records if records else 0.0
        too_many = max_reject_ratio is not None and ratio > max_reject_ratio
        wall = time.monotonic() - self._clock
        self.manifest.update(
            status="succeeded_with_rejects_over_threshold" if too_many else "succeeded",
            exit_code=EXIT_TOO_MANY_REJECTS if too_many else EXIT_OK,
            finished_at=datetime.now(timezone.utc).isoformat(),
            wall_seconds=wall,
            articles_per_second=throughput(counts["articles"], wall),
            phase_seconds=self.phase.seconds,
            counts={"input_files": input_files, "records_read": records,
                    "duplicates": (counters.get("duplicates", 0) if counters
                                   else len(self._duplicates) - published_before),
                    "duplicates_published": counters.get("duplicates_published", 0) if counters else published_before,
                    **counts},
            reject_ratio=round(ratio, 4),
            rejects_by_reason=count_rejects_by_reason(self.output, self.run_id),
            stage_seconds=counters.pop("stage_seconds", None),
            metrics=counters,
        )
        self.manifest["manifest_path"] = write_manifest(self.output, self.run_id, self.manifest)
        return self.manifest
