"""Progress of a run while it works, seen from the launcher (no Beam).

Beam's counters are read once a pipeline has finished; a data engineer wants to see a long run move.
Every process that counts something (the launcher's in-process runner, each ``multi_processing``
worker, each Dask worker on this machine) adds it to a tally of its own, and a thread of that process
writes the tally once a second to ``<dir>/<pid>-<token>.json`` (temporary name, then rename) when
``NEWSEVENTS_PROGRESS_DIR`` names a directory. The launcher sums the files every few seconds and
logs one line. Workers on other machines write nowhere the launcher can see: their progress shows
in the run summary only.
"""
from __future__ import annotations

import glob
import json
import logging
import os
import threading
import time
import uuid
from typing import Callable, Dict, Optional

PROGRESS_ENV = "NEWSEVENTS_PROGRESS_DIR"
FLUSH_SECONDS = 1.0


class _Tally:
    def __init__(self):
        self.counts: Dict[str, int] = {}
        self.lock = threading.Lock()
        self.path: Optional[str] = None
        self.folder: Optional[str] = None

        self.dirty = False
        self.flusher: Optional[threading.Thread] = None

    def add(self, name: str, value: int) -> None:
        folder = os.environ.get(PROGRESS_ENV)
        if not folder:
            return
        with self.lock:
            if folder != self.folder:   # a new run in this process: start again
                self.folder, self.counts = folder, {}
                self.path = os.path.join(folder, f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json")
            self.counts[name] = self.counts.get(name, 0) + value
            self.dirty = True
            if self.flusher is None:   # the last counts of a step reach the file too, within a second
                self.flusher = threading.Thread(target=self._flush_often, name="newsevents-tally", daemon=True)
                self.flusher.start()

    def _flush_often(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()

    def flush(self) -> None:
        with self.lock:
            if not self.dirty or self.path is None:
                return
            self.dirty = False
            counts, path = dict(self.counts), self.path
        try:
            temporary = path + ".tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(counts, handle)
            os.replace(temporary, path)
        except OSError:
            pass   # progress is a courtesy: a full disk or a removed folder must not fail the run


_TALLY = _Tally()


def note(name: str, value: int = 1) -> None:
    """Add ``value`` to this process's progress tally of ``name`` (a no-op unless a run asked for progress)."""
    _TALLY.add(name, value)


def flush() -> None:
    """Write this process's tally now (a process about to end: its flusher thread would not get the last
    second's counts out)."""
    _TALLY.flush()


def read_progress(folder: str) -> Dict[str, int]:
    """The sum of every process's last written tally under ``folder``."""
    total: Dict[str, int] = {}
    for path in glob.glob(os.path.join(glob.escape(folder), "*.json")):
        try:
            with open(path, encoding="utf-8") as handle:
                counts = json.load(handle)
        except (OSError, ValueError):
            continue
        for name, value in counts.items():
            total[name] = total.get(name, 0) + int(value)
    return total


def summarise(counts: Dict[str, int], *, inputs: int, seconds: float) -> Dict[str, float]:
    """The figures of one progress line from the counters' names."""
    parsed = counts.get("nlp_articles", 0)
    return {"inputs": inputs + counts.get("feed_entries", 0), "read": counts.get("records_read", 0),
            "parsed": parsed, "rejects": sum(v for k, v in counts.items() if k.startswith("rejects.")),
            "duplicates": counts.get("duplicates", 0) + counts.get("duplicates_published", 0),
            "seconds": round(seconds, 1), "articles_per_second": round(parsed / seconds, 2) if seconds > 0 else 0.0}


class ProgressReporter:
    """While a run's pipeline works, calls ``emit(figures)`` every ``interval`` seconds (a thread of the
    launcher); ``with ProgressReporter(...)`` sets ``NEWSEVENTS_PROGRESS_DIR`` for the run's workers."""

    def __init__(self, folder: str, *, inputs: int, interval: float, emit: Callable[[Dict[str, float]], None]):
        self.folder, self.inputs, self.interval, self.emit = folder, inputs, interval, emit
        self.stop = threading.Event()
        self.thread: Optional[threading.Thread] = None
        self.started = time.monotonic()

    def __enter__(self) -> "ProgressReporter":
        if self.interval <= 0:
            return self
        os.makedirs(self.folder, exist_ok=True)
        os.environ[PROGRESS_ENV] = self.folder
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._loop, name="newsevents-progress", daemon=True)
        self.thread.start()
        return self

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            self.emit(summarise(read_progress(self.folder), inputs=self.inputs,
                                seconds=time.monotonic() - self.started))

    def __exit__(self, *exc_info) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        if os.environ.get(PROGRESS_ENV) == self.folder:
            del os.environ[PROGRESS_ENV]


def log_progress(figures: Dict[str, float]) -> None:
    """One progress line, at INFO on the ``newsevents`` logger; the figures ride along for JSON logs."""
    logging.getLogger("newsevents").info(
        "progress: %d inputs listed, %d read, %d parsed, %d rejects, %d duplicates; %.1f articles/s",
        figures["inputs"], figures["read"], figures["parsed"], figures["rejects"], figures["duplicates"],
        figures["articles_per_second"], extra={"progress": figures})
