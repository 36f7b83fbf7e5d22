"""Benchmark: how fresh ``newsevents watch`` keeps a lake. A feed on 127.0.0.1 gets new items at random times
while a watcher ticks every ``--every`` seconds (compressed ticks); then, per item, the time from its
appearing in the feed to its rows being in the published lake (the manifest's ``finished_at`` of the run that
published it), and the cost of a tick with nothing new and of one with 100 new items. Writes
bench/results/bench_freshness.json; with 100 ticks or more, bench_freshness_memory.json, for the watcher's
memory over many ticks (``--ticks 200 --every 3 --burst 0 --per-tick 4``).

    .venv/bin/python bench/bench_freshness.py [--ticks 24] [--every 10] [--burst 100] [--per-tick 1] [--seed 7]

An item's lag is the wait for the next tick (0 to --every) plus the tick's own work, so the figures at 15
minutes are the compressed ones with --every replaced: worst = 15 min + (worst - every), median = 7.5 min +
(median - every / 2). Needs the extraction corpus (../shared/corpus/extraction) for distinct real pages.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import duckdb  # noqa: E402

from inputs import make_inputs  # noqa: E402
from results import report  # noqa: E402
from tests.web_server import LocalSite  # noqa: E402


def _ticks(log_path):
    """The watcher's tick lines (JSON log): ``(run id, outcome, seconds, MiB)``."""
    ticks = []
    for line in open(log_path, encoding="utf-8"):
        try:
            message = json.loads(line)["message"]
        except (ValueError, KeyError):
            continue
        if message.startswith("tick "):
            head, rest = message[5:].split(": ", 1)
            outcome, tail = rest.rsplit(" in ", 1)
            seconds = float(tail.split(" s;", 1)[0])
            memory = float(tail.rsplit(", ", 1)[1].split(" MiB")[0]) if "MiB" in tail else None
            ticks.append((head, outcome, seconds, memory))
    return ticks


def _published_at(lake):
    """``{fetched URL: when its run's rows were queryable (epoch seconds)}``."""
    finished = {}
    for path in glob.glob(os.path.join(lake, "_runs", "*.json")):
        manifest = json.load(open(path, encoding="utf-8"))
        if manifest.get("finished_at"):
            finished[manifest["run_id"]] = datetime.fromisoformat(manifest["finished_at"]).timestamp()
    files = glob.glob(os.path.join(lake, "articles", "**", "*.parquet"), recursive=True)
    rows = duckdb.connect().execute(f"SELECT fetched_url, run_id FROM read_parquet({files!r})").fetchall() if files else []
    return {url: finished[run] for url, run in rows if run in finished}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=24, help="ticks to watch for")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between ticks (compressed)")
    parser.add_argument("--burst", type=int, default=100, help="new items at once, in one tick (0: none)")
    parser.add_argument("--per-tick", dest="per_tick", type=int, default=1,
                        help="new items in each of two ticks out of three, each at a random moment")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    scratch = tempfile.mkdtemp(prefix="bench-freshness-")
    lake, log_path = os.path.join(scratch, "lake"), os.path.join(scratch, "watch.log")
    os.makedirs(os.path.join(scratch, "pages"))
    pages, _left_out = make_inputs("corpus", args.ticks * args.per_tick + args.burst, os.path.join(scratch, "pages"))
    bodies = [open(path, "rb").read() for path in pages]
    # One item in two ticks out of three, at a random moment; a quiet tick now and then; the burst midway.
    plan = []   # (seconds after the start, number of items)
    for tick in range(2, args.ticks - 2):
        if tick == args.ticks // 2 and args.burst:
            plan.append((tick * args.every + 0.2 * args.every, args.burst))
        elif tick % 3:
            plan += [(tick * args.every + rng.uniform(0, args.every), 1) for _ in range(args.per_tick)]
    plan.sort()
    appeared = {}
    with LocalSite() as site, open(log_path, "w", encoding="utf-8") as log:
        command = [sys.executable, "-m", "pipelines.cli", "watch", "--feed", site.url("/feed.xml"), "--output", lake,
                   "--every", f"{args.every:g}s", "--allow-private-addresses", "--host-delay", "0",
                   "--progress-interval", "0", "--log-format", "json", "--max-ticks", str(args.ticks + 1)]
        watcher = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        while "tick " not in open(log_path, encoding="utf-8").read():   # the watcher's start-up is not a tick's
            time.sleep(0.1)
        start, used = time.time(), 0
        for offset, count in plan:
            time.sleep(max(0.0, start + offset - time.time()))
            for _ in range(count):
                now = time.time()
                appeared[site.serve(f"item{used}.html", bodies[used], published=now)] = now
                used += 1
        try:
            watcher.wait(timeout=args.every * (args.ticks + 4) + 600)
        except subprocess.TimeoutExpired:
            watcher.send_signal(signal.SIGTERM)
            watcher.wait(timeout=120)
    queryable = _published_at(lake)
    ticks = _ticks(log_path)
    lags = sorted(queryable[url] - when for url, when in appeared.items() if url in queryable)
    single = sorted(queryable[url] - when for url, when in appeared.items() if url in queryable
                    and not any(count > 1 and abs(start + offset - when) < 1 for offset, count in plan))
    quiet = [seconds for _id, outcome, seconds, _mib in ticks[1:] if outcome.startswith("nothing new")]
    busy = [(seconds, outcome) for _id, outcome, seconds, _mib in ticks if f"{args.burst} new feed entries" in outcome]
    memory = [mib for *_rest, mib in ticks if mib]
    figures = {
        "every_seconds": args.every, "ticks": len(ticks), "items": len(appeared), "items_published": len(lags),
        "items_in_the_lake_once_or_rejected": len(queryable),
        "lag_median_seconds": round(statistics.median(lags), 2) if lags else None,
        "lag_worst_seconds": round(lags[-1], 2) if lags else None,
        "lag_median_single_items_seconds": round(statistics.median(single), 2) if single else None,
        "lag_worst_single_items_seconds": round(single[-1], 2) if single else None,
        "tick_nothing_new_median_seconds": round(statistics.median(quiet), 3) if quiet else None,
        "tick_nothing_new_worst_seconds": round(max(quiet), 3) if quiet else None,
        "tick_with_burst_seconds": round(busy[0][0], 2) if busy else None,
        "ticks_failed": sum(outcome.startswith("failed") for _id, outcome, _s, _m in ticks),
        "rss_mib_after_tick_10": memory[9] if len(memory) >= 10 else None,
        "rss_mib_after_ticks_50_100_150": [memory[n - 1] for n in (50, 100, 150) if len(memory) >= n],
        "rss_mib_last": memory[-1] if memory else None,
        "rss_mib_max": max(memory) if memory else None,
    }
    if lags:
        figures["at_15_min_worst_minutes"] = round((15 * 60 + lags[-1] - args.every) / 60, 2)
        figures["at_15_min_median_minutes"] = round((7.5 * 60 + statistics.median(lags) - args.every / 2) / 60, 2)
    report("bench_freshness" if args.ticks < 100 else "bench_freshness_memory", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
