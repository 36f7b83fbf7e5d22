"""The output lake: the lake lock, staging, the publish journal, and what earlier runs published (no Beam).

The commit protocol (the README's "Crash safety" says the same for users):

1. A run holds ``OUTPUT/_state/lake.lock`` (an exclusive ``flock``) from start to end. A second run into the
   same lake, whatever its id, is refused with exit 2 while the lock is held; the lock dies with its
   process, so a killed run never blocks the next.
2. Under the lock, before anything else, every ``OUTPUT/_state/staging/<run_id>/`` is stale (no other run can
   be live): one with a publish journal is published to the end (step 5); one without is deleted,
   whatever its run id, so a retry with the same id never publishes a dead attempt's files.
3. The pipeline writes every table, the duplicates log and the fetch log under the run's staging.
4. The run writes its journal, ``_state/staging/<run_id>/_PUBLISHING.json`` (temporary name, ``fsync``,
   rename): every staged file to publish, the event days its older files touched, the fetch time.
   Writing the journal is the commit point: before it, a crash leaves nothing visible and the next run
   deletes the staging; after it, the run will be published in full, by itself or by the next run.
5. Publishing, each step idempotent so that recovery can run it again from the start: move each file
   in the journal into ``OUTPUT/<table>/ingest_date=.../`` (an atomic rename; a file already moved is
   skipped), delete the same run id's older files that the journal does not list (a rerun replaces
   its rows), write ``_runs/<run_id>.duplicates.jsonl``, record the fetched URLs in the fetch state,
   recompute ``event_summary`` for the days the run touches or touched, and last delete the staging.

A reader that globs ``OUTPUT/<table>/**/*.parquet`` sees a run's files appear one rename at a time
during step 5 (a run's files in one table are complete once its journal exists). The lake is a local
(or mounted) POSIX file system; ``flock`` and ``rename`` are what make it safe.
"""
from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
from typing import Dict, List, Optional, Tuple

import numpy as np
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas import TABLES
from transforms.common.faults import checkpoint
from transforms.lake.shards import shard_path, table_files, write_empty_table

#: Where runs stage their files, and the lake's lock: under ``_state/`` so that the lake's root holds
#: nothing but the tables, ``_runs/`` and ``_state/``.
STAGING = os.path.join("_state", "staging")
LEGACY_STAGING = "_staging"   # where lakes written before kept it; adopted by the next run
DUPLICATE_LOG = "_duplicates"
JOURNAL = "_PUBLISHING.json"
LAKE_LOCK = os.path.join("_state", "lake.lock")


class LakeBusy(RuntimeError):
    """Another process holds the lake's lock."""


def staging_dir(output: str, run_id: str) -> str:
    return os.path.join(output, STAGING, run_id)


class LakeLock:
    """Holds ``OUTPUT/_state/lake.lock`` for the life of a run (released if the process dies).

    Raises:
        LakeBusy: (on entering) another run holds it; the message names that run.
    """

    def __init__(self, output: str, run_id: str):
        self.path = os.path.join(output, LAKE_LOCK)
        self.output = output
        self.run_id = run_id
        self.handle = None

    def __enter__(self) -> "LakeLock":
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            handle.close()
            raise LakeBusy(f"{self.output or '.'} is being written by {holder}; "
                           "runs into one lake go one at a time") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"run {self.run_id!r} (pid {os.getpid()})")
        handle.flush()
        self.handle = handle
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def _table_files(root: str) -> List[Tuple[str, str]]:
    """(table, path relative to the table folder) of every Parquet file staged under ``root``."""
    return sorted((table, os.path.relpath(path, os.path.join(root, table)))
                  for table in TABLES for path in table_files(root, table))


def complete_tables(output: str, run_id: str, *, ingest_date: str, shards: int) -> List[str]:
    """Give a table that has never had rows one empty file, so a reader globbing it always finds it
    with its columns; a table with files of other runs gets none (no zero-row file per run).

    Returns:
        the tables given an empty file.
    """
    root = staging_dir(output, run_id)
    staged = {table for table, _path in _table_files(root)}
    missing = [table for table in TABLES if table not in staged and not any(
        not os.path.basename(path).startswith(f"{run_id}-") for path in table_files(output, table))]
    for table in missing:
        folder = os.path.join(root, table, f"ingest_date={ingest_date}")
        os.makedirs(folder, exist_ok=True)
        write_empty_table(shard_path(os.path.join(folder, run_id), 0, shards), schema=TABLES[table])
    return missing


def keep_duplicate_log(output: str, run_id: str) -> Tuple[str, List[dict]]:
    """Write the run's staged duplicates log to ``OUTPUT/_runs/<run_id>.duplicates.jsonl``.

    Returns:
        its path and its lines (one JSON object per input that was not an article of its own).
    """
    lines: List[str] = []
    for path in sorted(glob.glob(os.path.join(glob.escape(staging_dir(output, run_id)), DUPLICATE_LOG, "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            lines += [line for line in handle.read().splitlines() if line]
    final = os.path.join(output, "_runs", f"{run_id}.duplicates.jsonl")
    os.makedirs(os.path.dirname(final), exist_ok=True)
    write_atomically(final, "".join(f"{line}\n" for line in lines))
    return final, [json.loads(line) for line in lines]


def write_atomically(path: str, text: str) -> None:
    """``path`` holds ``text`` or what it held before, never a part (temporary name, fsync, rename)."""
    temporary = f"{path}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def write_journal(output: str, run_id: str, *, days_before: List[str], fetched_at: str) -> dict:
    """Commit a staged run: from now on it will be published (step 4 of the protocol)."""
    root = staging_dir(output, run_id)
    journal = {"run_id": run_id, "files": [[table, relative] for table, relative in _table_files(root)],
               "days_before": sorted(days_before), "fetched_at": fetched_at}
    write_atomically(os.path.join(root, JOURNAL), json.dumps(journal, sort_keys=True))
    checkpoint("journal-written")
    return journal


def read_journal(output: str, run_id: str) -> Optional[dict]:
    """The run's publish journal, or None if it never committed."""
    path = os.path.join(staging_dir(output, run_id), JOURNAL)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def move_files(output: str, journal: dict) -> int:
    """Move the journal's files into the tables, then delete the run id's files it does not list.

    Idempotent: a file already moved is skipped. Returns how many files the run publishes.
    """
    run_id = journal["run_id"]
    root = staging_dir(output, run_id)
    listed = set()
    for number, (table, relative) in enumerate(journal["files"]):
        source, target = os.path.join(root, table, relative), os.path.join(output, table, relative)
        listed.add(os.path.abspath(target))
        if os.path.exists(source):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)
        elif not os.path.exists(target):
            raise FileNotFoundError(f"{source}: listed in the publish journal of run {run_id!r}, but neither "
                                    "staged nor published")
        if number == 0:
            checkpoint("file-moved")
    checkpoint("files-moved")
    # The same run id published earlier (a rerun): its files that this run did not replace go.
    for table in TABLES:
        for path in table_files(output, table, run_id):
            if os.path.abspath(path) not in listed:
                os.remove(path)
    return len(journal["files"])


def drop_staging(output: str, run_id: str) -> None:
    """Delete a run's staging, and the staging folder itself once no run has one."""
    shutil.rmtree(staging_dir(output, run_id), ignore_errors=True)
    try:
        os.rmdir(os.path.join(output, STAGING))
    except OSError:
        pass   # another run's staging is there, or it is gone already


def stale_runs(output: str) -> List[Tuple[str, Optional[dict]]]:
    """``(run_id, journal or None)`` of every staging left behind (call it holding the lake lock).
    A staging in the old place (``OUTPUT/_staging/``) is moved to the new one first."""
    legacy = os.path.join(output, LEGACY_STAGING)
    if os.path.isdir(legacy):
        for root in sorted(glob.glob(os.path.join(glob.escape(legacy), "*"))):
            target = os.path.join(output, STAGING, os.path.basename(root))
            if os.path.isdir(root) and not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(root, target)
        try:
            os.rmdir(legacy)
        except OSError:
            pass
    return [(os.path.basename(root), read_journal(output, os.path.basename(root)))
            for root in sorted(glob.glob(os.path.join(glob.escape(output), STAGING, "*"))) if os.path.isdir(root)]


class LakeDamaged(RuntimeError):
    """A published file cannot be read; the message names it."""


def check_readable(output: str, tables=TABLES) -> None:
    """Every published Parquet file of ``tables`` has a whole footer (a truncated or foreign file would
    fail the run after it publishes, in ``event_summary``, or every query): read before anything.

    Raises:
        LakeDamaged: the first file that cannot be read, named.
    """
    import pyarrow.parquet as pq

    for table in tables:
        for path in table_files(output, table):
            try:
                pq.read_metadata(path)
            except (OSError, ValueError) as exc:   # pyarrow's ArrowInvalid is a ValueError
                raise LakeDamaged(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0][:200]}); "
                                  "restore it or move it out of the lake, then run again") from exc


def published_articles(output: str, *, excluding_run: str = "") -> Dict[str, Tuple[int, List[str]]]:
    """``{article_id: (highest version, content hashes)}`` of the articles already published."""
    folder = os.path.join(output, "articles")
    if not table_files(output, "articles"):
        return {}
    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    names = dataset.schema.names
    columns = ["article_id", "content_sha256", "run_id"] + (["version"] if "version" in names else [])
    table = dataset.to_table(columns=columns)
    known: Dict[str, Tuple[int, List[str]]] = {}
    rows = zip(*(table.column(c).to_pylist() for c in columns))
    for row in rows:
        article_id, digest, run = row[0], row[1], row[2]
        version = row[3] if len(row) > 3 and row[3] is not None else 1
        if run == excluding_run:
            continue   # a rerun of this run id replaces its own rows
        best, digests = known.get(article_id, (0, []))
        known[article_id] = (max(best, version), digests + [digest])
    return known


def published_signatures(output: str, *, since: str, excluding_run: str = "") -> List[Tuple]:
    """The story signatures of the articles published on or after ``since`` (an ingest date, ISO), other
    than by run ``excluding_run`` (a rerun replaces its own rows): ``(article_id, version, ingested_at
    (ISO), language, story_id, signature bytes)`` per article version, sorted, for
    ``transforms.beam.stories.LinkStories``. Files written before articles had stories are skipped."""
    files = [path for path in table_files(output, "articles")
             if os.path.basename(os.path.dirname(path)).partition("=")[2] >= since]
    columns = ["article_id", "version", "run_id", "ingested_at", "language", "story_id", "story_signature"]
    members = []
    for path in files:
        if not set(columns) <= set(pq.read_schema(path).names):
            continue
        table = pq.read_table(path, columns=columns)
        table = table.filter(pc.and_(pc.is_valid(table.column("story_signature")),
                                     pc.not_equal(table.column("run_id"), excluding_run)))
        if table.num_rows == 0:
            continue
        signatures = np.asarray(table.column("story_signature").combine_chunks().flatten(), dtype=np.uint32)
        signatures = signatures.reshape(table.num_rows, -1)   # every signature has the same length
        rows = zip(*(table.column(name).to_pylist() for name in columns[:-1]))
        for (article_id, version, _run, ingested_at, language, story_id), sig in zip(rows, signatures):
            members.append((article_id, version or 1, ingested_at.isoformat() if ingested_at else None, language,
                            story_id, sig.tobytes()))
    return sorted(members)
