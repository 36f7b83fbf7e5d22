"""The state store: URLs already fetched, feed validators and local files published, across runs (no Beam).

A SQLite database at ``OUTPUT/_state/fetch.sqlite`` in WAL mode; every update is one
transaction, so a crash leaves the previous state or the new one, never a mix. Read at launch,
written after a run is published. On an object store, which SQLite cannot open, the launcher
downloads the database, updates it in a temporary folder and uploads it whole (one object,
replaced at once); the lake's lease (``transforms.lake.lease``) keeps two runs from updating it together.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from typing import Dict, Iterable, List, Optional, Set, Tuple

from transforms.lake.store import exists, is_local, join, list_files, open_file, read_text, write_atomically

#: The folder, in a run's staging, where the pipeline logs what it fetched (JSON lines).
FETCH_LOG = "_fetchlog"

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (url TEXT PRIMARY KEY, final_url TEXT, content_sha256 TEXT,
                                 run_id TEXT, fetched_at TEXT);
CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,
                                  run_id TEXT, fetched_at TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER,
                                  content_sha256 TEXT, run_id TEXT, published_at TEXT);
"""
#: The list of local files a run reads, in its staging, recorded in the state once it is published.
FILES_LOG = "files.json"


def state_path(output: str) -> str:
    return join(output, "_state", "fetch.sqlite")


class FetchStateDamaged(RuntimeError):
    """The fetch state database cannot be read; the message names it and says what to do."""


@contextlib.contextmanager
def _database(output: str, *, write: bool = False):
    """The state database, open; any SQLite error comes out as :class:`FetchStateDamaged`, named. On an
    object store, a local copy, uploaded again after a ``write``."""
    path = state_path(output)
    local = path if is_local(output) else None
    scratch = None
    con = None
    try:
        if local is None:
            scratch = tempfile.mkdtemp(prefix="newsevents-state-")
            local = os.path.join(scratch, "fetch.sqlite")
            if exists(path):
                with open_file(path) as source, open(local, "wb") as target:
                    shutil.copyfileobj(source, target)
        os.makedirs(os.path.dirname(local), exist_ok=True)
        con = sqlite3.connect(local, timeout=30)
        con.execute(f"PRAGMA journal_mode={'WAL' if scratch is None else 'DELETE'}")
        con.execute("PRAGMA synchronous=FULL")
        con.executescript(SCHEMA)
        yield con
        if scratch is not None and write:
            con.close()
            con = None
            with open(local, "rb") as handle:
                write_atomically(path, handle.read())
    except sqlite3.DatabaseError as exc:
        raise FetchStateDamaged(f"{path}: the fetch state cannot be read ({exc}); move it away to start "
                                "afresh (every URL is then fetched again) or restore it") from exc
    finally:
        if con is not None:
            con.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def known_urls(output: str) -> Set[str]:
    if not exists(state_path(output)):
        return set()
    with _database(output) as con:
        return {row[0] for row in con.execute("SELECT url FROM urls")}


def feed_validators(output: str) -> Dict[str, Tuple[Optional[str], Optional[str]]]:
    if not exists(state_path(output)):
        return {}
    with _database(output) as con:
        return {row[0]: (row[1], row[2]) for row in con.execute("SELECT url, etag, last_modified FROM feeds")}


def known_files(output: str) -> Dict[str, Tuple[int, int, str]]:
    """``{absolute path: (size, mtime_ns, content_sha256)}`` of the local files earlier runs published."""
    if not exists(state_path(output)):
        return {}
    with _database(output) as con:
        return {row[0]: (row[1], row[2], row[3]) for row in
                con.execute("SELECT path, size, mtime_ns, content_sha256 FROM files")}


def record(output: str, *, run_id: str, fetched_at: str, urls: Iterable[Tuple[str, str, str]],
           feeds: Iterable[Tuple[str, Optional[str], Optional[str]]],
           files: Iterable[Tuple[str, int, int, str]] = ()) -> None:
    """Remember fetched URLs ``(url, final_url, sha256)``, feed validators and local files
    ``(path, size, mtime_ns, sha256)``, in one transaction."""
    with _database(output, write=True) as con, con:
        con.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                        [(p, s, m, h, run_id, fetched_at) for p, s, m, h in files])
        con.executemany("INSERT OR REPLACE INTO urls VALUES (?, ?, ?, ?, ?)",
                        [(u, f, h, run_id, fetched_at) for u, f, h in urls])
        con.executemany("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?, ?)",
                        [(u, e, m, run_id, fetched_at) for u, e, m in feeds if e or m])


def record_fetch_log(output: str, log_dir: str, *, run_id: str, fetched_at: str) -> List[dict]:
    """Record a run's fetch log (pages fetched, feeds read, local files read) in the state store;
    returns the feeds."""
    fetched, feeds, files = [], [], []
    files_log = join(log_dir, FILES_LOG)
    if exists(files_log):
        files = [tuple(entry) for entry in json.loads(read_text(files_log))]
    for path in list_files(log_dir, "*.jsonl*"):
        items = [json.loads(line) for line in read_text(path).splitlines() if line]
        (feeds if os.path.basename(path).startswith("feeds") else fetched).extend(items)
    if fetched or feeds or files:
        record(output, run_id=run_id, fetched_at=fetched_at,
               urls=[(i["url"], i["final_url"], "") for i in fetched],
               feeds=[(f["url"], f.get("etag"), f.get("last_modified")) for f in feeds], files=files)
    return sorted(feeds, key=lambda f: f["url"])
