"""``newsevents watch``: publish what is new every ``--every``, from one long-running process.

    newsevents watch --feeds feeds.txt --input /data/inbox --output /data/lake --every 15m

The watcher holds the lake (its lock, or its lease on an object store) from start to end, so a second
watcher or a ``run`` into the same lake is refused. Ticks fall on whole multiples of ``--every`` (UTC), the
first at once. Each tick polls its inputs without a pipeline (``transforms.ingest.poll``: the state store's
files and URLs, a conditional GET per feed); when something is new it publishes it as one ordinary run
(``pipelines.news_events.run``: the same commit protocol and manifest) whose run id is the tick's time, so a
restarted watcher that publishes the same tick again replaces it. The model and dictionaries are loaded by
the first tick that parses and kept for the process. A tick that fails is logged and counted and the next
one runs; a tick that runs past the next one's time delays it (past several, they are skipped), and says
so. SIGTERM or SIGINT abandons the tick in progress (nothing of it is published), unless it is publishing,
which it finishes; then the watcher exits 0.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import logging
import math
import os
import re
import socket
import sys
import time
from datetime import datetime, timezone
from typing import List, Optional, Tuple

from pipelines import news_events
from pipelines.options import (RefusingParser, _DefaultsShown, check_flags, fetch_settings, lease_times,
                              parse_options)
from transforms.common.errors import UsageError
from transforms.common.logs import configure_logging, logging_flags
from transforms.common.stopping import StopSignals, Stopped
from transforms.ingest.fetch import Fetcher
from transforms.ingest.poll import News, poll
from transforms.ingest.readers import drop_reader_caches, load_lazy_tables
from transforms.ingest.sources import expand_inputs, remote_stamps, web_inputs
from transforms.lake.fetch_state import feed_validators, known_files, known_urls
from transforms.lake.lease import LakeBusy, hold_lake
from transforms.lake.run import EXIT_FAILED, EXIT_OK, EXIT_USAGE, check_output, default_run_id, file_stamp
from transforms.lake.store import join, write_atomically

LOG = logging.getLogger("newsevents")
DEFAULT_EVERY = "15m"
#: Where the watcher says, after every tick, that it is alive and what it did (a dashboard's liveness check).
HEARTBEAT = ("_state", "watch.json")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``30s``, ``5m``, ``1h``, ``1h30m``, ``2d`` or a bare number of seconds; ValueError otherwise."""
    text = (text or "").strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    elif re.fullmatch(r"(\d+(\.\d+)?[smhd])+", text):
        seconds = sum(float(number) * _UNITS[unit] for number, _frac, unit in re.findall(r"(\d+(\.\d+)?)([smhd])", text))
    else:
        raise ValueError(f"--every {text!r}: a duration such as 30s, 5m, 1h or 1h30m")
    if not seconds > 0:
        raise ValueError(f"--every {text!r}: must be more than 0 seconds")
    return seconds


def watch_parser() -> argparse.ArgumentParser:
    parser = RefusingParser(
        prog="newsevents watch", formatter_class=_DefaultsShown, allow_abbrev=False,
        usage="newsevents watch --input PATH|--feed URL|--urls FILE --output DIR [--every DURATION] [--once] ...",
        description="Publish what is new in the inputs every --every, from one long-running process: each tick "
                    "polls the feeds (conditional GETs), URL lists and inboxes, and publishes what is new as one "
                    "run into the lake at --output (run id: the tick's UTC time). The model is loaded once.",
        epilog="Every option of 'newsevents run' is accepted (see newsevents run --help), but --run-id. SIGTERM or "
               "SIGINT: the tick in progress is abandoned (or, if it is publishing, finished), then exit 0. "
               "Exit codes: 0 stopped (or --once: published or nothing new), 1 --once failed or the lake's lease "
               "was lost, 2 usage error or the lake is held by another run, 3 --once published but rejects over "
               "--max-reject-ratio.")
    parser.add_argument("--every", default=DEFAULT_EVERY, metavar="DURATION",
                        help="time between ticks: 30s, 5m, 1h, 1h30m... (ticks fall on its whole multiples, UTC)")
    parser.add_argument("--once", action="store_true", help="one tick, then exit with its outcome")
    parser.add_argument("--max-ticks", dest="max_ticks", type=int, default=0, metavar="N",
                        help="stop after N ticks (0: until stopped)")
    return parser


def watch_help() -> str:
    return watch_parser().format_help()


def split_argv(argv: List[str]) -> Tuple[argparse.Namespace, List[str]]:
    """The watcher's own flags, and the rest (the run's flags)."""
    own, rest = watch_parser().parse_known_args(argv)
    try:
        own.every_seconds = parse_duration(own.every)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if own.max_ticks < 0:
        raise UsageError(f"--max-ticks {own.max_ticks}: must be 0 or more")
    return own, rest


def rss_mib() -> Optional[float]:
    """This process's resident memory in MiB (Linux), for the tick's summary."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return None


class Watcher:
    """The tick loop of one ``newsevents watch`` (see the module's docstring)."""

    def __init__(self, own: argparse.Namespace, run_argv: List[str], signals: StopSignals):
        self.every = own.every_seconds
        self.once, self.max_ticks = own.once, (1 if own.once else own.max_ticks)
        self.run_argv = run_argv
        self.options, self.args = parse_options(run_argv)
        check_flags(self.args)
        if self.args.run_id:
            raise UsageError("--run-id: a watcher names each tick's run after the tick's time")
        check_output(self.args.output, self.options)
        self.web = web_inputs(feeds=self.args.feeds, feeds_file=self.args.feeds_file, urls_file=self.args.urls_file,
                              settings=fetch_settings(self.args))
        if not (self.args.inputs or self.web.feeds or self.web.urls):
            raise UsageError("no input: give --input PATH_OR_GLOB, --feed URL, --feeds FILE or --urls FILE")
        self._inputs()   # a path that does not exist is a mistake; an empty inbox is not
        self.signals = signals
        self.fetcher = Fetcher(self.web.settings)   # kept: robots.txt read once a day per site, not per tick
        self.started = datetime.now(timezone.utc)
        self.holder = f"watch-{socket.gethostname()}-{os.getpid()}"   # who holds the lake, in the lease and the log
        self.ticks = self.failed = self.skipped = self.published = 0
        self.last_code = EXIT_OK

    def _inputs(self) -> List[Tuple[str, str]]:
        return expand_inputs(self.args.inputs, self.options, allow_empty=True) if self.args.inputs else []

    def run(self) -> int:
        """Hold the lake and tick until stopped; the exit code."""
        flags = self.options.get_all_options(drop_default=True, retain_unknown_options=False)
        lock = hold_lake(self.args.output, self.holder, times=lease_times(self.args), flags=flags)
        try:
            lock.__enter__()
        except LakeBusy as exc:
            raise UsageError(str(exc)) from exc
        LOG.info("watching %s every %s into %s (%s)", self._what(), _duration(self.every), self.args.output,
                 self.holder)
        try:
            return self._loop(lock)
        finally:
            lock.__exit__(None, None, None)

    def _what(self) -> str:
        parts = [f"{len(self.args.inputs)} --input" if self.args.inputs else "",
                 f"{len(self.web.feeds)} feeds" if self.web.feeds else "",
                 f"{len(self.web.urls)} URLs" if self.web.urls else ""]
        return ", ".join(part for part in parts if part)

    def _loop(self, lock) -> int:
        slot = math.floor(time.time() / self.every) * self.every
        while not self.signals.requested.is_set():
            self._tick(slot, lock)
            if lock.lost:
                LOG.error("the lake's lease was lost (%s): stopping", lock.lost)
                return EXIT_FAILED
            if self.max_ticks and self.ticks >= self.max_ticks:
                break
            slot += self.every
            late = time.time() - slot
            if late > 0:   # the tick ran past the next one's time
                missed = math.floor(late / self.every)
                if missed:
                    self.skipped += missed
                    slot += missed * self.every
                    LOG.warning("the last tick ran %.0f s past its slot: %d tick(s) skipped, the next at %s",
                                late, missed, _when(slot))
                else:
                    LOG.warning("the last tick ran %.1f s into the next one's slot: it starts late", late)
            if self.signals.wait(slot - time.time()):
                break
        if self.signals.requested.is_set():
            LOG.info("stopping on %s after %d ticks (%d failed, %d published)", self.signals.name, self.ticks,
                     self.failed, self.published)
            return EXIT_OK
        return self.last_code if self.once else EXIT_OK

    def _tick(self, slot: float, lock) -> None:
        when = datetime.fromtimestamp(slot, timezone.utc)
        run_id = default_run_id(when)
        start = time.perf_counter()
        self.ticks += 1
        outcome, code = "nothing new", EXIT_OK
        try:
            with self.signals.abandonable():
                news = self._poll()
                if news:
                    manifest = news_events.run(self.run_argv + ["--run-id", run_id], now=datetime.now(timezone.utc),
                                               held=lock)
                    code = manifest["exit_code"]
                    self.published += 1
                    outcome = _published(manifest, news)
                    release_memory()
                else:
                    said = news.describe()
                    outcome = "nothing new" + (f" ({said})" if said else "")
        except Stopped:   # not a failure: the watcher was asked to stop before the tick's commit point
            outcome, code = f"abandoned on {self.signals.name}: nothing of it was published", EXIT_OK
        except Exception as exc:  # noqa: BLE001 - a failed tick costs only itself; the next one runs
            self.failed += 1
            outcome, code = f"failed ({type(exc).__name__}: {' '.join(str(exc).split())[:300]})", EXIT_FAILED
            LOG.debug("tick %s failed", run_id, exc_info=True)
        self.last_code = code
        seconds = time.perf_counter() - start
        memory = rss_mib()
        log = LOG.info if code in (EXIT_OK,) else LOG.warning
        log("tick %s: %s in %.2f s; %d ticks, %d failed%s", run_id, outcome, seconds, self.ticks, self.failed,
            f", {memory:.0f} MiB" if memory else "")
        self._heartbeat(run_id, outcome, seconds, memory)

    def _poll(self) -> News:
        output = self.args.output
        files = self._inputs()
        remote = remote_stamps(self.args.inputs or [])
        known = known_urls(output) if (self.web.feeds or self.web.urls) else set()
        return poll(paths=[path for path, _root in files], known_files=known_files(output) if files else {},
                    stamp=lambda path: file_stamp(path, remote), urls=self.web.urls, feeds=self.web.feeds,
                    known_urls=known, validators=feed_validators(output) if self.web.feeds else {},
                    fetcher=self.fetcher)

    def _heartbeat(self, run_id: str, outcome: str, seconds: float, memory: Optional[float]) -> None:
        """``OUTPUT/_state/watch.json``: the last tick and the counts (a failure to write it is logged)."""
        beat = {"holder": self.holder, "started_at": self.started.isoformat(),
                "every_seconds": self.every, "last_tick": run_id, "last_outcome": outcome,
                "last_tick_seconds": round(seconds, 3), "ticked_at": datetime.now(timezone.utc).isoformat(),
                "ticks": self.ticks, "failed_ticks": self.failed, "skipped_ticks": self.skipped,
                "published_ticks": self.published, "rss_mib": round(memory, 1) if memory else None}
        try:
            write_atomically(join(self.args.output, *HEARTBEAT), json.dumps(beat, indent=1))
        except Exception as exc:  # noqa: BLE001 - a full disk: said, and the next tick tries again
            LOG.warning("could not write the heartbeat: %s", exc)


def _published(manifest: dict, news: News) -> str:
    counts = manifest.get("counts", {})
    lag = (manifest.get("freshness") or {}).get("newest_lag_seconds")
    rows = ", ".join(f"{counts.get(table, 0)} {table}" for table in ("articles", "events", "quotes", "stances",
                                                                     "rejects"))
    return (f"published {rows} ({news.describe()})"
            + (f"; the newest publication date in it was {_age(lag)} old when it was queryable" if lag is not None else ""))


def _age(seconds: float) -> str:
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if abs(seconds) >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def _duration(seconds: float) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:g}s"


def _when(slot: float) -> str:
    return datetime.fromtimestamp(slot, timezone.utc).strftime("%H:%M:%S UTC")


def main(argv: Optional[List[str]] = None) -> int:
    """``newsevents watch ...``: the exit code (``--help`` prints the watcher's own flags)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(arg in ("-h", "--help") for arg in argv):
        sys.stdout.write(watch_help())
        return EXIT_OK
    flags = logging_flags(argv)
    configure_logging(flags.log_level, flags.log_format, flags.beam_log_level)
    try:
        own, run_argv = split_argv(argv)
        _quiet_memory()
        load_lazy_tables()   # what the readers would load at the first page that needs it: now, once
        watcher = Watcher(own, run_argv, StopSignals().install())
        return watcher.run()
    except UsageError as exc:
        print(f"newsevents watch: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def release_memory() -> None:
    """After a tick that ran a pipeline: collect the garbage and hand the heap it freed back to the system
    (glibc's ``malloc_trim``; elsewhere nothing more), so that the process's memory is what it holds, not the
    high-water mark of its largest tick (``bench/bench_freshness.py --ticks 200`` measures it). The page
    readers' caches are emptied first (``drop_reader_caches``)."""
    drop_reader_caches()
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):   # not glibc
        pass


def _quiet_memory() -> None:
    """Arrow's buffers from the system allocator: its default (jemalloc) keeps what it freed, and over a
    watcher's hundreds of ticks that is memory that only grows (``bench/bench_freshness.py`` measures it)."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
