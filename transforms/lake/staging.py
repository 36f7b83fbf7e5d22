"""The output lake: staging, the publish journal, and what earlier runs published (no Beam).

The commit protocol (docs/operations.md says the same for users):

1. A run holds the lake (``transforms.lake.lease``) from start to end: on a local disk an exclusive ``flock``
   on ``OUTPUT/_state/lake.lock``, which dies with its process; on S3 or GCS a lease in the lake,
   ``OUTPUT/_state/lease.json``, taken and renewed with conditional writes, which another launcher may take
   over once it expires. A second run into the same lake, whatever its id and wherever it was launched, is
   refused with exit 2 while the lake is held.
2. Holding the lake, before anything else, every ``OUTPUT/_state/staging/<run_id>/`` is stale (no other run can
   be live): one with a publish journal is published to the end (step 5); one without is deleted,
   whatever its run id, so a retry with the same id never publishes a dead attempt's files.
3. The pipeline writes every table, the duplicates log and the fetch log under the run's staging.
4. The run confirms it still holds the lake (a lease is renewed once more; a run that lost it stops here
   and writes nothing more), then writes its journal, ``_state/staging/<run_id>/_PUBLISHING.json``
   (temporary name, ``fsync``, rename): every staged file to publish, the event days its older files
   touched, the fetch time.
   Writing the journal is the commit point: before it, a crash leaves nothing visible and the next run
   deletes the staging; after it, the run will be published in full, by itself or by the next run.
5. Publishing, each step idempotent so that recovery can run it again from the start: move each file
   in the journal into ``OUTPUT/<table>/ingest_date=.../`` (an atomic rename; a file already moved is
   skipped), delete the same run id's older files that the journal does not list (a rerun replaces
   its rows), write ``_runs/<run_id>.duplicates.jsonl``, record the fetched URLs in the fetch state,
   recompute ``event_summary`` for the days the run touches or touched, and last delete the staging.

A reader that globs ``OUTPUT/<table>/**/*.parquet`` sees a run's files appear one rename at a time
during step 5 (a run's files in one table are complete once its journal exists).

On an object store (``s3://``, ``gs://``: ``transforms.lake.store``) there is no rename. The journal is one
upload, and an object appears whole when its upload completes, so it is still the commit point. Step 5 moves a
file by copying it to its key in the table and deleting the staged one; a crash between the two leaves both,
and recovery copies again (the same bytes). The lake is held by its lease, so runs launched from different
machines go one at a time too (an object store without conditional writes, ``hdfs://``, falls back to a
``flock`` on the launcher's machine: one launcher per lake is then the scheduler's to ensure). Every run's
manifest lists the files it published, so a reader or a cleanup job can tell a committed file from a leftover.
"""
from __future__ import annotations

import json
import os
from typing import Dict, List, Optional, Tuple

import numpy as np
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas import TABLES
from transforms.common.faults import checkpoint
from transforms.lake.shards import shard_path, table_files, write_empty_table
from transforms.lake.store import (ensure_folder, exists, is_local, join, list_files, move, open_file,
                                   read_lines, read_text, relative, remove, remove_empty_folder, remove_tree,
                                   write_atomically)
from transforms.lake.tables import arrow_dataset

#: Where runs stage their files: under ``_state/`` (with the lake's lock or lease) so that the lake's root
#: holds nothing but the tables, ``_runs/`` and ``_state/``.
STAGING = os.path.join("_state", "staging")
LEGACY_STAGING = "_staging"   # where lakes written before kept it; adopted by the next run
DUPLICATE_LOG = "_duplicates"
JOURNAL = "_PUBLISHING.json"


def staging_dir(output: str, run_id: str) -> str:
    return join(output, STAGING, run_id)


def _table_files(root: str) -> List[Tuple[str, str]]:
    """(table, path relative to the table folder) of every Parquet file staged under ``root``."""
    return sorted((table, relative(path, join(root, table)))
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
        folder = join(root, table, f"ingest_date={ingest_date}")
        ensure_folder(folder)
        write_empty_table(shard_path(join(folder, run_id), 0, shards), schema=TABLES[table])
    return missing


def keep_duplicate_log(output: str, run_id: str) -> Tuple[str, List[dict]]:
    """Write the run's staged duplicates log to ``OUTPUT/_runs/<run_id>.duplicates.jsonl``.

    Returns:
        its path and its lines (one JSON object per input that was not an article of its own); on an
        object store a run without duplicates writes no file.
    """
    # one file per chunk, sorted as the one file of a run in one chunk is
    lines = sorted(read_lines(staging_dir(output, run_id), f"{DUPLICATE_LOG}/*.jsonl"))
    final = join(output, "_runs", f"{run_id}.duplicates.jsonl")
    if lines or is_local(output):   # Beam's S3 file system cannot write an empty object: none means none
        write_atomically(final, "".join(f"{line}\n" for line in lines))
    elif exists(final):
        remove([final])   # a rerun with no duplicates any more
    return final, [json.loads(line) for line in lines]


def write_journal(output: str, run_id: str, *, days_before: List[str], fetched_at: str) -> dict:
    """Commit a staged run: from now on it will be published (step 4 of the protocol)."""
    root = staging_dir(output, run_id)
    journal = {"run_id": run_id, "files": [[table, relative] for table, relative in _table_files(root)],
               "days_before": sorted(days_before), "fetched_at": fetched_at}
    write_atomically(join(root, JOURNAL), json.dumps(journal, sort_keys=True))
    checkpoint("journal-written")
    return journal


def read_journal(output: str, run_id: str) -> Optional[dict]:
    """The run's publish journal, or None if it never committed."""
    path = join(staging_dir(output, run_id), JOURNAL)
    if not exists(path):
        return None
    return json.loads(read_text(path))


def move_files(output: str, journal: dict) -> int:
    """Move the journal's files into the tables, then delete the run id's files it does not list.

    Idempotent: a file already moved is skipped (one copied but not yet deleted from the staging is
    copied again). Returns how many files the run publishes.
    """
    run_id = journal["run_id"]
    root = staging_dir(output, run_id)
    pairs = [(join(root, table, name), join(output, table, name)) for table, name in journal["files"]]
    listed = {_normal(target) for _, target in pairs}
    staged = os.path.exists if is_local(output) else set(list_files(root, "**")).__contains__   # one listing
    pending = [(source, target) for source, target in pairs if staged(source)]
    for source, target in pairs:
        if not staged(source) and not exists(target):
            raise FileNotFoundError(f"{source}: listed in the publish journal of run {run_id!r}, but neither "
                                    "staged nor published")
    if is_local(output):   # one rename at a time
        for number, (source, target) in enumerate(pending):
            move([source], [target])
            if number == 0:
                checkpoint("file-moved")
    else:
        move([source for source, _ in pending], [target for _, target in pending])
    checkpoint("files-moved")
    # The same run id published earlier (a rerun): its files that this run did not replace go.
    for table in TABLES:
        remove([path for path in table_files(output, table, run_id) if _normal(path) not in listed])
    return len(journal["files"])


def _normal(path: str) -> str:
    return os.path.abspath(path) if is_local(path) else path


def drop_staging(output: str, run_id: str) -> None:
    """Delete a run's staging, and the staging folder itself once no run has one."""
    remove_tree(staging_dir(output, run_id))
    remove_empty_folder(join(output, STAGING))   # unless another run's staging is there


def stale_runs(output: str) -> List[Tuple[str, Optional[dict]]]:
    """``(run_id, journal or None)`` of every staging left behind (call it holding the lake).
    A staging in the old place (``OUTPUT/_staging/``) is moved to the new one first."""
    if not is_local(output):   # no folders: the run ids are the first part of the staged keys
        staging = join(output, STAGING)
        runs = sorted({relative(path, staging).split("/", 1)[0] for path in list_files(staging, "**")})
        return [(run_id, read_journal(output, run_id)) for run_id in runs]
    legacy = os.path.join(output, LEGACY_STAGING)
    if os.path.isdir(legacy):
        for root in sorted(os.path.join(legacy, name) for name in os.listdir(legacy)):
            target = os.path.join(output, STAGING, os.path.basename(root))
            if os.path.isdir(root) and not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(root, target)
        try:
            os.rmdir(legacy)
        except OSError:
            pass
    staging = os.path.join(output, STAGING)
    runs = sorted(name for name in (os.listdir(staging) if os.path.isdir(staging) else ())
                  if os.path.isdir(os.path.join(staging, name)))
    return [(run_id, read_journal(output, run_id)) for run_id in runs]


class LakeDamaged(RuntimeError):
    """A published file cannot be read; the message names it."""


def check_readable(output: str, tables=TABLES, *, filesystem=None) -> None:
    """Every published Parquet file of ``tables`` has a whole footer (a truncated or foreign file would
    fail the run after it publishes, in ``event_summary``, or every query): read before anything.

    ``filesystem``: pyarrow's, to read the footers of a lake on an object store with one client.

    Raises:
        LakeDamaged: the first file that cannot be read, named.
    """
    for table in tables:
        for path in table_files(output, table):
            try:
                with open_file(path, filesystem) as handle:
                    pq.read_metadata(handle)
            except (OSError, ValueError) as exc:   # pyarrow's ArrowInvalid is a ValueError
                raise LakeDamaged(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0][:200]}); "
                                  "restore it or move it out of the lake, then run again") from exc


def published_articles(output: str, *, excluding_run: str = "",
                       filesystem=None) -> Dict[str, Tuple[int, List[str]]]:
    """``{article_id: (highest version, content hashes)}`` of the articles already published
    (``filesystem``: pyarrow's, for a lake on an object store)."""
    files = table_files(output, "articles")
    if not files:
        return {}
    if is_local(output):
        dataset = ds.dataset(os.path.join(output, "articles"), format="parquet", partitioning="hive")
    else:
        dataset = arrow_dataset(output, "articles", files, filesystem=filesystem)
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


def published_signatures(output: str, *, since: str, excluding_run: str = "", filesystem=None) -> List[Tuple]:
    """The story signatures of the articles published on or after ``since`` (an ingest date, ISO), other
    than by run ``excluding_run`` (a rerun replaces its own rows): ``(article_id, version, ingested_at
    (ISO), language, story_id, signature bytes)`` per article version, sorted, for
    ``transforms.beam.stories.LinkStories``. Files written before articles had stories are skipped."""
    files = [path for path in table_files(output, "articles")
             if os.path.basename(os.path.dirname(path)).partition("=")[2] >= since]
    columns = ["article_id", "version", "run_id", "ingested_at", "language", "story_id", "story_signature"]
    members = []
    for path in files:
        with open_file(path, filesystem) as handle:
            parquet = pq.ParquetFile(handle)
            if not set(columns) <= set(parquet.schema_arrow.names):
                continue
            table = parquet.read(columns=columns)
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
