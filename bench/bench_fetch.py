"""Benchmark: fetch 200 pages from a local server that adds 50 ms per response,
sequentially and concurrently (per-host limit 8). Writes bench/results/bench_fetch.json.

    .venv/bin/python bench/bench_fetch.py [--pages 200] [--latency 0.05] [--per-host 8]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tests.web_server import LocalSite, page_names  # noqa: E402
from results import report  # noqa: E402
from transforms.ingest.fetch import Fetcher, FetchSettings  # noqa: E402


def timed(fetcher: Fetcher, urls, workers: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(fetcher.fetch, urls))
    assert all(r.status == 200 for r in results)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--per-host", type=int, default=8)
    args = parser.parse_args()
    names = page_names(200)
    with LocalSite(latency=args.latency) as site:
        urls = [site.url(f"/pages/{names[i % len(names)]}?copy={i}") for i in range(args.pages)]
        base = dict(allowed_networks=("127.0.0.1/32",), host_delay=0.0)
        sequential = timed(Fetcher(FetchSettings(per_host=1, **base)), urls, 1)
        concurrent = timed(Fetcher(FetchSettings(per_host=args.per_host, **base)), urls, args.per_host)
    figures = {"pages": args.pages, "latency_s": args.latency, "per_host": args.per_host,
               "sequential_s": round(sequential, 2), "concurrent_s": round(concurrent, 2),
               "sequential_pages_per_s": round(args.pages / sequential, 1),
               "concurrent_pages_per_s": round(args.pages / concurrent, 1),
               "speedup": round(sequential / concurrent, 2)}
    report("bench_fetch", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
