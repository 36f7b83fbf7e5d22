"""Benchmark: the memory and time of a chunked run's story pass alone, by the number of staged articles.

    .venv/bin/python bench/bench_story_pass.py [--sizes 2000 10000 50000]

The last step of a run cut into chunks (``transforms.beam.stories.link_staged_stories``, in the
launcher) links every article the run staged, so it is the one step whose input is the whole run, not a
chunk. Here it runs alone, with no NLP before it, over staged articles files made for the purpose: the
seeds copied as ``bench/inputs.py`` copies them (the hard case: five stories, each copied thousands of
times), signed as the pipeline signs them (the first 1,000 copies are signed; larger sets reuse their
signatures under new ids and times), 500 articles to a file. The pass runs in a child process (the
launcher's imports, then the pass) while a thread samples its resident memory twice a second; the child
says its RSS before the pass. Figures go to ``bench/results/bench_story_pass.json``.

``--child FOLDER``: run the pass over the files in FOLDER (what the parent starts).
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

PER_FILE = 500
SIGNED = 1000


def make_staged(folder: str, articles: int) -> None:
    import pyarrow as pa

    from inputs import seed_copy, seed_files
    from transforms.ingest.stories import signature
    from transforms.lake.shards import write_table_shard

    texts = []
    for path in seed_files():
        with open(path, encoding="utf-8") as handle:
            texts.append(handle.read())
    signatures = [signature(seed_copy(texts[n % len(texts)], n)).tolist() for n in range(min(SIGNED, articles))]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for first in range(0, articles, PER_FILE):
        rows = range(first, min(articles, first + PER_FILE))
        ids = [hashlib.sha256(str(n).encode()).hexdigest()[:16] for n in rows]
        table = pa.table({
            "article_id": ids,
            "published_at": pa.array([start + timedelta(minutes=n) for n in rows], pa.timestamp("us", tz="UTC")),
            "language": ["en"] * len(ids),
            "story_signature": pa.array([signatures[n % len(signatures)] for n in rows], pa.list_(pa.uint32())),
            "story_id": ids,
        })
        write_table_shard(table, os.path.join(folder, f"articles-{first // PER_FILE:05d}.parquet"))


def child(folder: str) -> None:
    from pipelines import chunks  # noqa: F401 - what a launcher has imported when it links the stories
    from transforms.beam.stories import link_staged_stories

    with open("/proc/self/status", encoding="utf-8") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    print(f"rss_before_mib {rss / 1024:.1f}", flush=True)
    counters = link_staged_stories(sorted(glob.glob(os.path.join(folder, "*.parquet"))), [])
    print(f"story_links {counters['story_links']}", flush=True)


def measure(articles: int) -> dict:
    import pyarrow.parquet as pq

    from memory import run_watched

    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as folder:
        make_staged(folder, articles)
        run = run_watched([sys.executable, os.path.abspath(__file__), "--child", folder], interval=0.5)
        if run.returncode != 0:
            raise SystemExit(f"story pass failed ({run.returncode}):\n{run.stderr[-3000:]}")
        stories = len(pq.read_table(folder, columns=["story_id"]).column("story_id").unique())
    said = dict(line.split() for line in run.stdout.splitlines() if line.count(" ") == 1)
    return {"articles": articles, "stories": stories, "seconds": round(run.seconds, 1),
            "rss_before_pass_mib": float(said["rss_before_mib"]),
            "peak_rss_mib": round(run.launcher_mib, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000, 50000])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    from results import report

    rows = []
    for size in args.sizes:
        rows.append(measure(size))
        print(rows[-1], flush=True)
    report("bench_story_pass", {"sizes": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
