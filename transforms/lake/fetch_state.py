"""The state store: URLs already fetched, feed validators and local files published, across runs (no Beam).

A SQLite database at ``OUTPUT/_state/fetch.sqlite`` in WAL mode; every update is one
transaction, so a crash leaves the previous state or the new one, never a mix. Read at launch,
written after a run is published.
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import sqlite3
from typing import Dict, Iterable, List, Optional, Set, Tuple

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
    return os.path.join(output, "_state", "fetch.sqlite")


class FetchStateDamaged(RuntimeError):
    """The fetch state database cannot be read; the message names it and says what to do."""


@contextlib.contextmanager
def _database(output: str):
    """The state database, open; any SQLite error comes out as :class:`FetchStateDamaged`, named."""
    path = state_path(output)
    con = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        con = sqlite3.connect(path, timeout=30)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.executescript(SCHEMA)
        yield con
    except sqlite3.DatabaseError as exc:
        raise FetchStateDamaged(f"{path}: the fetch state cannot be read ({exc}); move it away to start "
                                "afresh (every URL is then fetched again) or restore it") from exc
    finally:
        if con is not None:
            con.close()


def known_urls(output: str) -> Set[str]:
    if not os.path.exists(state_path(output)):
        return set()
    with _database(output) as con:
        return {row[0] for row in con.execute("SELECT url FROM urls")}


def feed_validators(output: str) -> Dict[str, Tuple[Optional[str], Optional[str]]]:
    if not os.path.exists(state_path(output)):
        return {}
    with _database(output) as con:
        return {row[0]: (row[1], row[2]) for row in con.execute("SELECT url, etag, last_modified FROM feeds")}


def known_files(output: str) -> Dict[str, Tuple[int, int, str]]:
    """``{absolute path: (size, mtime_ns, content_sha256)}`` of the local files earlier runs published."""
    if not os.path.exists(state_path(output)):
        return {}
    with _database(output) as con:
        return {row[0]: (row[1], row[2], row[3]) for row in
                con.execute("SELECT path, size, mtime_ns, content_sha256 FROM files")}


def record(output: str, *, run_id: str, fetched_at: str, urls: Iterable[Tuple[str, str, str]],
           feeds: Iterable[Tuple[str, Optional[str], Optional[str]]],
           files: Iterable[Tuple[str, int, int, str]] = ()) -> None:
    """Remember fetched URLs ``(url, final_url, sha256)``, feed validators and local files
    ``(path, size, mtime_ns, sha256)``, in one transaction."""
    with _database(output) as con, con:
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
    files_log = os.path.join(log_dir, FILES_LOG)
    if os.path.exists(files_log):
        with open(files_log, encoding="utf-8") as handle:
            files = [tuple(entry) for entry in json.load(handle)]
    for path in sorted(glob.glob(os.path.join(log_dir, "*.jsonl*"))):
        with open(path, encoding="utf-8") as handle:
            items = [json.loads(line) for line in handle]
        (feeds if os.path.basename(path).startswith("feeds") else fetched).extend(items)
    if fetched or feeds or files:
        record(output, run_id=run_id, fetched_at=fetched_at,
               urls=[(i["url"], i["final_url"], "") for i in fetched],
               feeds=[(f["url"], f.get("etag"), f.get("last_modified")) for f in feeds], files=files)
    return sorted(feeds, key=lambda f: f["url"])
