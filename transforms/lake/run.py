"""A run's life in the lake: checks, lock, recovery, staging, publishing and the manifest (no Beam pipeline).

The pipeline entry point drives a run with a handful of calls::

    check_output(output, options); check_run_id(run_id)
    with LakeRun(output, run_id, started=..., details=..., options=...) as run:
        with run.phase("prepare"):
            known = run.recover()                  # finish or drop runs that died; what is published
            web = run.with_fetch_state(web, refetch=...)
            ... build the pipeline, writing under run.staging ...
        with run.phase("pipeline"):
            ... run it ...
        run.publish(shards=...)                    # journal committed, then every file moved
        manifest = run.succeed(counters, ...)      # the manifest, then the staging removed

A run that raises inside the ``with`` leaves a ``failed`` manifest; nothing of it is published unless it
had committed its publish journal, in which case the next run publishes it to the end and says so
(``transforms.lake.staging`` explains the commit protocol). Runs into one lake go one at a time.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from apache_beam.io.filesystems import FileSystems

from schemas import TABLES
from schemas.duplicates import PUBLISHED_BEFORE
from transforms.common.errors import UsageError, no_file_system
from transforms.common.faults import checkpoint
from transforms.common.logs import WORKER_LOG_LEVEL
from transforms.common.progress import ProgressReporter, log_progress
from transforms.lake.event_summary import day_bases_of_run, days_of_run, recompute_event_summary
from transforms.lake.fetch_state import FETCH_LOG, FILES_LOG, feed_validators, known_files, known_urls, record_fetch_log
from transforms.lake.lease import LakeBusy, LeaseTimes, hold_lake
from transforms.lake.manifest import (PhaseTimer, count_rejects_by_reason, count_story_copies, freshness_of_run,
                                      table_counts, throughput, write_manifest)
from transforms.lake.shards import table_files
from transforms.lake.staging import (
    DUPLICATE_LOG,
    check_readable,
    complete_tables,
    drop_staging,
    keep_duplicate_log,
    move_files,
    published_articles,
    published_signatures,
    staging_dir,
    stale_runs,
    write_journal,
)
from transforms.lake.store import (arrow_filesystem, exists, is_local, join, read_text, remove, session,
                                   write_atomically)

RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Exit codes for schedulers, recorded in the manifest: 0 success; 1 the run failed; 2 bad usage;
#: 3 success, but rejects exceeded ``--max-reject-ratio``.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_TOO_MANY_REJECTS = 0, 1, 2, 3


def check_output(output: str, options: Optional[object] = None) -> None:
    """Create the output directory if needed and prove it is writable (on an object store: write and
    delete a probe object, through Beam's file systems set up with ``options``).

    Raises:
        UsageError: it cannot be created or written.
    """
    if not output:
        raise UsageError("no output: give --output DIR")
    if not is_local(output):
        _check_remote_output(output, options)
        return
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


def _check_remote_output(output: str, options: Optional[object]) -> None:
    scheme = FileSystems.get_scheme(output)
    if options is not None:
        FileSystems.set_options(options)
    probe = join(output, "_state", f".write-probe-{uuid.uuid4().hex}")
    logging.disable(logging.ERROR)   # Beam logs a refused upload with its traceback; the reason is said below
    try:
        write_atomically(probe, b"ok")
        remove([probe])
    except ValueError as exc:   # no file system registered for the scheme
        raise no_file_system("--output", output, scheme) from exc
    except Exception as exc:  # noqa: BLE001 - each client raises its own errors; one line names the cause
        reason = " ".join(str(exc).split())[:300]
        raise UsageError(f"--output {output}: not writable ({type(exc).__name__}: {reason})") from exc
    finally:
        logging.disable(logging.NOTSET)


def check_run_id(run_id: str) -> str:
    """Run ids name files, so they are restricted to letters, digits, '.', '_' and '-'."""
    if not RUN_ID_PATTERN.match(run_id or ""):
        raise UsageError(f"--run-id {run_id!r}: use letters, digits, '.', '_' and '-' (at most 128)")
    return run_id


def default_run_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def finish_publishing(output: str, journal: dict, *,
                      phase: Callable[[str], contextlib.AbstractContextManager] = lambda _name: contextlib.nullcontext(),
                      filesystem=None) -> Tuple[str, List[dict], List[dict], List[str]]:
    """Publish a committed run (step 5 of ``transforms.lake.staging``'s protocol), all but removing its
    staging, which waits for the run's manifest; every step is idempotent, so the next run can call it
    again after a crash at any point. ``filesystem``: pyarrow's, for a lake on an object store.

    Returns:
        the duplicates log's path and lines, the feeds read, and the event days recomputed.
    """
    run_id = journal["run_id"]
    with phase("publish"):
        move_files(output, journal)
        duplicates_log, duplicates = keep_duplicate_log(output, run_id)
        checkpoint("duplicates-logged")
        feeds = record_fetch_log(output, join(staging_dir(output, run_id), FETCH_LOG), run_id=run_id,
                                 fetched_at=journal["fetched_at"])
        checkpoint("fetch-state")
    with phase("event_summary"):
        days = recompute_event_summary(output, run_id, also_days=journal.get("days_before", ()),
                                       filesystem=filesystem)
        checkpoint("event-summary")
    return duplicates_log, duplicates, feeds, days


def file_stamp(path: str, remote: Dict[str, Tuple[int, int]]) -> Optional[Tuple[str, int, int]]:
    """``(key, size, modification time in ns)`` the state store knows an input file by (a local one by its
    absolute path, an object-store one by its URL, stamped from ``remote``); None for one that is gone, a
    folder, or not listed."""
    if not is_local(path):
        return (path, *remote[path]) if path in remote else None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), stat.st_size, stat.st_mtime_ns) if os.path.isfile(path) else None


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RunTarget(NamedTuple):
    """Where a run's pipelines write, and what they stamp on rows: a plain value that pickles (a chunk's
    pipeline may be built in a fresh process, ``pipelines.chunks``)."""
    run_id: str
    started: datetime
    ingest_date: str
    staging: str
    fetch_log_dir: str
    duplicates_prefix: str


class LakeRun:
    """One run of the pipeline against the lake at ``output``; a context manager holding the lake
    (``transforms.lake.lease``: a lock, or a lease on an object store).

    Args:
        details: what the manifest records of the run besides its outcome (inputs, options, versions).
        options: the run's options, for reading a lake on an object store (its endpoint, keys).
        lease: the lease's times on an object store.
        held: the lake's lock or lease, already held by the caller for longer than this run (``newsevents
            watch`` holds it for all its ticks); by default the run takes it and lets it go.

    Raises:
        UsageError: (on entering) another run is writing to the same lake.
        LeaseLost: (from :meth:`publish`) another launcher took the lake's lease over; nothing is published.
    """

    def __init__(self, output: str, run_id: str, *, started: datetime, details: dict,
                 options: Optional[object] = None, lease: LeaseTimes = LeaseTimes(), held=None):
        self.output = output
        self.run_id = run_id
        self.started = started
        self.ingest_date = started.date().isoformat()
        self.staging = staging_dir(output, run_id)
        self.fetch_log_dir = join(self.staging, FETCH_LOG)
        self.duplicates_prefix = join(self.staging, DUPLICATE_LOG, "duplicates")
        flags = options.get_all_options(drop_default=True, retain_unknown_options=False) if options else {}
        self.filesystem = arrow_filesystem(output, flags)[0]   # None for a local lake
        self._scratch: Optional[str] = None   # a local folder for what workers on this machine report
        self.manifest = {"run_id": run_id, "status": "running", "started_at": started.isoformat(),
                         "output": output, **details}
        self.phase = PhaseTimer()
        self._clock = time.monotonic()
        self._lock = held or hold_lake(output, run_id, times=lease, flags=flags)
        self._own_lock = held is None
        self._flags = flags
        self._held = contextlib.ExitStack()
        self._duplicates: List[dict] = []
        self.unchanged_inputs = 0

    @property
    def target(self) -> RunTarget:
        """What the run's pipelines need of it."""
        return RunTarget(self.run_id, self.started, self.ingest_date, self.staging, self.fetch_log_dir,
                         self.duplicates_prefix)

    def __enter__(self) -> "LakeRun":
        try:
            if self._own_lock:
                self._held.enter_context(self._lock)
        except LakeBusy as exc:
            raise UsageError(str(exc)) from exc
        self.manifest["lake_held_with"] = self._lock.describe()
        self._held.enter_context(session(self._flags))   # one object-store client for the run
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        try:
            if exc is not None and not self._lock.lost:   # a lake whose lease was lost is not written to
                self.manifest.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                                     finished_at=datetime.now(timezone.utc).isoformat(),
                                     wall_seconds=time.monotonic() - self._clock, phase_seconds=self.phase.seconds)
                try:
                    write_manifest(self.output, self.run_id, self.manifest)
                except OSError:
                    pass   # the disk that failed the run may refuse the manifest too; the error is printed
        finally:
            self._held.close()
            if self._scratch:
                shutil.rmtree(self._scratch, ignore_errors=True)
        return False

    def recover(self) -> Dict[str, Tuple[int, List[str]]]:
        """Deal with every run that died (this run holds the lake, so none is live): publish to
        the end one that had committed its journal, delete the staging of one that had not (also an
        earlier attempt of this very run id). Returns ``{article_id: (highest version, content
        hashes)}`` published by other runs."""
        actions = []
        check_readable(self.output, filesystem=self.filesystem)   # a damaged file stops the run here, named, before anything is written
        for run_id, journal in stale_runs(self.output):
            if journal is None:
                drop_staging(self.output, run_id)
                actions.append(f"{run_id}: removed the staging of a run that did not finish")
                continue
            finish_publishing(self.output, journal, filesystem=self.filesystem)
            if self._note_recovered(run_id):
                actions.append(f"{run_id}: finished publishing {len(journal['files'])} files")
            else:
                actions.append(f"{run_id}: removed the staging of a run that had published")
            drop_staging(self.output, run_id)
        self.manifest["recovered"] = actions
        return published_articles(self.output, excluding_run=self.run_id, filesystem=self.filesystem)

    def _note_recovered(self, run_id: str) -> bool:
        """Say in the recovered run's own manifest that it was published, and by whom (unless it had
        written its success before it died); whether it was this run that finished it."""
        path = join(self.output, "_runs", f"{run_id}.json")
        manifest = {"run_id": run_id}
        if exists(path):
            try:
                manifest = json.loads(read_text(path))
            except (OSError, ValueError):
                pass
        if str(manifest.get("status", "")).startswith("succeeded"):
            return False
        manifest.update(status="published_by_recovery", recovered_by=self.run_id,
                        counts=table_counts(self.output, run_id, filesystem=self.filesystem))
        write_manifest(self.output, run_id, manifest)
        return True

    def new_inputs(self, files: List[Tuple[str, str]], *, reprocess: bool,
                   remote: Optional[Dict[str, Tuple[int, int]]] = None) -> List[Tuple[str, str]]:
        """The files this run reads: those no earlier run published as they are now (the same size and
        modification time, or failing that, for a local file, the same content), or all of them with
        ``reprocess``. ``remote``: the size and time of the object-store files (``remote_stamps``); one not
        in it is read. The files read are recorded in the state store when the run is published, so a
        file that has not changed is read once; a changed one is read again (a new version of its article)."""
        # A rerun of a run id replaces everything it published, so it reads every input again.
        known = {} if reprocess or self._is_rerun() else known_files(self.output)
        todo, entries, self.unchanged_inputs = [], [], 0
        for listed in files:   # (path, input root), as expand_inputs lists them
            path = listed[0]
            stamp = file_stamp(path, remote or {})
            if stamp is None:
                todo.append(listed)   # gone, a folder, or not listed: the reader says what it is
                continue
            key, size, mtime_ns = stamp
            seen = known.get(key)
            if seen and (seen[0], seen[1]) == (size, mtime_ns):
                self.unchanged_inputs += 1
                continue
            entries.append((key, size, mtime_ns, _sha256_of(path) if is_local(path) else ""))
            if seen and entries[-1][3] and seen[2] == entries[-1][3]:
                self.unchanged_inputs += 1   # touched, not changed: remembered with its new time
                continue
            todo.append(listed)
        write_atomically(join(self.fetch_log_dir, FILES_LOG), json.dumps(entries))
        return todo

    def published_stories(self, days: int) -> List[Tuple]:
        """The story signatures of the articles published in the last ``days`` days (by ingest date),
        for a new article that copies one of them to join its story; none for 0 days."""
        if days <= 0:
            return []
        since = (self.started.date() - timedelta(days=days)).isoformat()
        return published_signatures(self.output, since=since, excluding_run=self.run_id, filesystem=self.filesystem)

    def watch(self, *, inputs: int, interval: float, worker_log_level: str) -> ProgressReporter:
        """Progress lines while the pipeline works; the workers log at ``worker_log_level``."""
        os.environ[WORKER_LOG_LEVEL] = worker_log_level
        if is_local(self.output):
            folder = os.path.join(self.staging, "_progress")
        else:   # workers on this machine write their tallies to its disk, not to the object store
            self._scratch = self._scratch or tempfile.mkdtemp(prefix="newsevents-progress-")
            folder = self._scratch
        return ProgressReporter(folder, inputs=inputs, interval=interval, emit=log_progress)

    def with_fetch_state(self, web, *, refetch: bool):
        """``web`` (``WebInputs``) with the feed validators and the URLs earlier runs fetched; none for a rerun
        of a run id, which replaces what it published and so fetches everything again (what other runs
        published is then a duplicate, not a second row; the state cannot tell what the replaced run fetched,
        since a later run may have fetched it again)."""
        if self._is_rerun():
            return replace(web, validators={}, known=set())
        return replace(web, validators=feed_validators(self.output) if web.feeds else {},
                       known=known_urls(self.output) if (web.feeds or web.urls) and not refetch else set())

    def _is_rerun(self) -> bool:
        """Whether this run id has files in the tables already (a rerun, which replaces them)."""
        return any(table_files(self.output, table, self.run_id) for table in TABLES)

    def publish(self, *, shards: int) -> None:
        """Make the staged run visible: every table given a file, the journal committed, then the
        files renamed into the tables, the duplicates log and the fetch state recorded, and the
        event summary of its days (and of the days its older files had) recomputed."""
        with self.phase("publish"):
            complete_tables(self.output, self.run_id, ingest_date=self.ingest_date, shards=shards)
            checkpoint("staged")
            self._lock.confirm()   # a run that lost the lake stops before its commit point
            journal = write_journal(self.output, self.run_id, fetched_at=self.started.isoformat(),
                                    days_before=days_of_run(self.output, self.run_id, filesystem=self.filesystem))
        # every file the run publishes, so that a reader or a cleanup job can tell them from leftovers
        self.manifest["published_files"] = [f"{table}/{name}" for table, name in journal["files"]]
        (self.manifest["duplicates_log"], self._duplicates, self.manifest["feeds"],
         self.manifest["event_summary_days"]) = finish_publishing(self.output, journal, phase=self.phase,
                                                                  filesystem=self.filesystem)

    def succeed(self, counters: dict, *, input_files: int, max_reject_ratio: Optional[float]) -> dict:
        """Write the manifest of a published run; ``counters`` are the Beam counters (empty on
        runners without metrics, where duplicates are counted from the duplicates log)."""
        counters = dict(counters)
        published_before = sum(duplicate["why"] == PUBLISHED_BEFORE for duplicate in self._duplicates)
        counts = table_counts(self.output, self.run_id, filesystem=self.filesystem)
        records = counters.get("records_read", 0 if counters else None)
        ratio = counts["rejects"] / records if records else 0.0
        too_many = max_reject_ratio is not None and ratio > max_reject_ratio
        wall = time.monotonic() - self._clock
        finished = datetime.now(timezone.utc)
        self.manifest.update(
            status="succeeded_with_rejects_over_threshold" if too_many else "succeeded",
            exit_code=EXIT_TOO_MANY_REJECTS if too_many else EXIT_OK,
            finished_at=finished.isoformat(),
            freshness=freshness_of_run(self.output, self.run_id, finished_at=finished, filesystem=self.filesystem),
            wall_seconds=wall,
            articles_per_second=throughput(counts["articles"], wall),
            phase_seconds=self.phase.seconds,
            counts={"input_files": input_files, "inputs_unchanged": self.unchanged_inputs, "records_read": records,
                    "duplicates": (counters.get("duplicates", 0) if counters
                                   else len(self._duplicates) - published_before),
                    "duplicates_published": counters.get("duplicates_published", 0) if counters else published_before,
                    **counts, "story_copies": count_story_copies(self.output, self.run_id, filesystem=self.filesystem)},
            events_by_day_basis=day_bases_of_run(self.output, self.run_id, filesystem=self.filesystem),
            reject_ratio=round(ratio, 4),
            rejects_by_reason=count_rejects_by_reason(self.output, self.run_id, filesystem=self.filesystem),
            stage_seconds=counters.pop("stage_seconds", None),
            metrics=counters,
        )
        self.manifest["manifest_path"] = write_manifest(self.output, self.run_id, self.manifest)
        checkpoint("manifest-written")
        drop_staging(self.output, self.run_id)   # the journal goes last: the run is complete
        return self.manifest
