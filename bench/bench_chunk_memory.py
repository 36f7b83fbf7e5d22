"""Benchmark: the peak memory of one chunk's process against how many articles the earlier chunks kept.

    .venv/bin/python bench/bench_chunk_memory.py [--articles 300] [--earlier 0 48000]

A run cut into chunks tells each chunk where the earlier chunks staged what they kept (a line per article:
content hash, input, id), and the chunk joins its own articles with those lines by key
(``transforms.beam.dedupe``). The last chunk of a large run meets the most of them. Here one chunk's
pipeline (the seeds copied to ``--articles`` articles, in-process runner, one worker) runs as the last of
two, after an earlier chunk that kept ``--earlier`` articles (lines made for the purpose, all of other
content and ids), each measurement in a fresh process as ``pipelines.chunks`` runs a chunk; the figure is
that process's peak resident memory (``ru_maxrss``). Figures go to ``bench/results/bench_chunk_memory.json``.

``--child N FOLDER``: run the chunk with N earlier articles in FOLDER (what the parent starts).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, ROOT)
sys.path.insert(0, BENCH)


def child(earlier: int, folder: str) -> dict:
    """One chunk's pipeline over ``folder/inbox`` after ``earlier`` kept articles; its figures."""
    from pipelines.chunks import run_chunk
    from pipelines.options import fetch_settings, parse_options
    from transforms.beam.plan import Chunk
    from transforms.ingest.sources import WebInputs
    from transforms.lake.run import RunTarget

    work = tempfile.mkdtemp(prefix="chunk-", dir=folder)
    kept = os.path.join(work, "staging", "_kept", "c0001-00000-of-00001.jsonl")
    os.makedirs(os.path.dirname(kept))
    with open(kept, "w", encoding="utf-8") as handle:
        for number in range(earlier):   # inputs under /0/ sort before the inbox's, as an earlier chunk's do
            token = str(number).encode()
            handle.write(json.dumps([hashlib.sha256(token).hexdigest(), f"/0/{number:08d}.txt",
                                     hashlib.sha1(token).hexdigest()[:16]]) + "\n")
    inbox = os.path.join(folder, "inbox")
    argv = ["--input", inbox, "--output", os.path.join(work, "out")]
    _options, args = parse_options(argv)
    files = sorted((os.path.join(inbox, name), inbox) for name in os.listdir(inbox))
    chunk = Chunk(2, 2, files, WebInputs(feeds=[], urls=[], settings=fetch_settings(args)))
    target = RunTarget("bench", datetime.now(timezone.utc), "2026-01-01", os.path.join(work, "staging"),
                       os.path.join(work, "fetch"), os.path.join(work, "duplicates"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    counters = run_chunk(argv, chunk, target, {}, [kept], None)
    return {"earlier_articles": earlier, "articles": counters.get("nlp_articles"),
            "seconds": round(time.perf_counter() - start, 1), "peak_rss_mib_before_chunk": round(before),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--earlier", type=int, nargs="+", default=[0, 48000])
    parser.add_argument("--child", nargs=2, metavar=("N", "FOLDER"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1])))
        return 0
    from inputs import make_inputs
    from results import report

    points = []
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as folder:
        os.makedirs(os.path.join(folder, "inbox"))
        make_inputs("seeds", args.articles, os.path.join(folder, "inbox"))
        for earlier in args.earlier:
            run = subprocess.run([sys.executable, __file__, "--child", str(earlier), folder], cwd=ROOT,
                                 capture_output=True, text=True, check=True)
            points.append(json.loads(run.stdout.strip().splitlines()[-1]))
    report("bench_chunk_memory", {"chunk_articles": args.articles, "points": points})
    return 0


if __name__ == "__main__":
    sys.exit(main())
