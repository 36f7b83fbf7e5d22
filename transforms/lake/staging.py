"""The output lake: staging, crash-safe publishing, and what earlier runs published (no Beam).

A run writes every table under ``OUTPUT/_staging/<run_id>/`` while it holds an exclusive lock
on ``OUTPUT/_staging/<run_id>/.lock``. Only when every table is complete does :func:`publish`
move the files into ``OUTPUT/<table>/ingest_date=.../`` (one atomic rename per file, after a
``_PUBLISHING`` marker is written), then delete that run id's older files that the new run did
not replace. On the next start, :func:`clean_stale_staging` removes the staging of any run that
died before publishing (its lock is free) and finishes the publishing of one that died during
it. Readers that glob ``OUTPUT/<table>/**/*.parquet`` therefore never see a run that did not
finish writing. The lake is a local (or mounted) file system.
"""
from __future__ import annotations

import fcntl
import glob
import json
import os
import shutil
from typing import Dict, List, Set, Tuple

import pyarrow.dataset as ds

from schemas import TABLES
from transforms.lake.shards import shard_path, write_empty_table

STAGING = "_staging"
DUPLICATE_LOG = "_duplicates"
PUBLISHING_MARKER = "_PUBLISHING"
LOCK_FILE = ".lock"


class RunInProgress(RuntimeError):
    """Another process holds the lock of this run id."""


def staging_dir(output: str, run_id: str) -> str:
    return os.path.join(output, STAGING, run_id)


class RunLock:
    """Holds ``OUTPUT/_staging/<run_id>/.lock`` for the life of a run (released if the process dies)."""

    def __init__(self, output: str, run_id: str):
        self.directory = staging_dir(output, run_id)
        self.handle = None

    def __enter__(self) -> "RunLock":
        os.makedirs(self.directory, exist_ok=True)
        self.handle = open(os.path.join(self.directory, LOCK_FILE), "a+", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self.handle.close()
            raise RunInProgress(f"run {os.path.basename(self.directory)!r} is already running") from exc
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(str(os.getpid()))
        self.handle.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def _table_files(root: str) -> List[Tuple[str, str]]:
    """(table, path relative to the table folder) of every Parquet file staged under ``root``."""
    found = []
    for table in TABLES:
        base = os.path.join(root, table)
        for path in glob.glob(os.path.join(base, "**", "*.parquet"), recursive=True):
            found.append((table, os.path.relpath(path, base)))
    return sorted(found)


def complete_tables(output: str, run_id: str, *, ingest_date: str, shards: int) -> List[str]:
    """Give every table of a staged run at least one file (empty when it had no rows).

    Returns:
        the tables that had none, so a reader globbing a table always finds it.
    """
    root = staging_dir(output, run_id)
    staged = {table for table, _path in _table_files(root)}
    missing = [table for table in TABLES if table not in staged]
    for table in missing:
        folder = os.path.join(root, table, f"ingest_date={ingest_date}")
        os.makedirs(folder, exist_ok=True)
        write_empty_table(shard_path(os.path.join(folder, run_id), 0, shards), schema=TABLES[table])
    return missing


def keep_duplicate_log(output: str, run_id: str) -> Tuple[str, List[dict]]:
    """Move the run's staged duplicates log to ``OUTPUT/_runs/<run_id>.duplicates.jsonl``.

    Returns:
        its path and its lines (one JSON object per input that was not an article of its own).
    """
    lines: List[str] = []
    for path in sorted(glob.glob(os.path.join(staging_dir(output, run_id), DUPLICATE_LOG, "*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            lines += [line for line in handle.read().splitlines() if line]
    final = os.path.join(output, "_runs", f"{run_id}.duplicates.jsonl")
    os.makedirs(os.path.dirname(final), exist_ok=True)
    with open(f"{final}.tmp", "w", encoding="utf-8") as handle:
        handle.writelines(f"{line}\n" for line in lines)
    os.replace(f"{final}.tmp", final)
    return final, [json.loads(line) for line in lines]


def publish(output: str, run_id: str) -> int:
    """Move a completed run from staging into the tables; returns the number of files published."""
    root = staging_dir(output, run_id)
    with open(os.path.join(root, PUBLISHING_MARKER), "w", encoding="utf-8") as marker:
        marker.write(run_id)
    return _finish_publish(output, run_id)


def _finish_publish(output: str, run_id: str) -> int:
    root = staging_dir(output, run_id)
    staged = _table_files(root)
    published: Set[str] = set()
    for table, relative in staged:
        target = os.path.join(output, table, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(os.path.join(root, table, relative), target)
        published.add(os.path.abspath(target))
    # The same run id published earlier (a rerun): its files that this run did not replace go.
    for table in TABLES:
        for path in glob.glob(os.path.join(output, table, "ingest_date=*", f"{run_id}-*.parquet")):
            if os.path.abspath(path) not in published:
                os.remove(path)
    shutil.rmtree(root, ignore_errors=True)
    return len(staged)


def clean_stale_staging(output: str) -> List[str]:
    """Deal with runs that died: finish one that was publishing, drop one that was writing.

    Returns:
        one line per stale run, saying what was done (for the manifest).
    """
    actions = []
    for root in sorted(glob.glob(os.path.join(output, STAGING, "*"))):
        run_id = os.path.basename(root)
        lock_path = os.path.join(root, LOCK_FILE)
        try:
            with open(lock_path, "a+", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)   # free: its process is gone
                if os.path.exists(os.path.join(root, PUBLISHING_MARKER)):
                    count = _finish_publish(output, run_id)
                    actions.append(f"{run_id}: finished publishing {count} files")
                    continue
        except BlockingIOError:
            continue   # a live run
        shutil.rmtree(root, ignore_errors=True)
        actions.append(f"{run_id}: removed the staging of a run that did not finish")
    return actions


def published_articles(output: str, *, excluding_run: str = "") -> Dict[str, Tuple[int, List[str]]]:
    """``{article_id: (highest version, content hashes)}`` of the articles already published."""
    folder = os.path.join(output, "articles")
    if not glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True):
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
