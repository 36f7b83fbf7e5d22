"""Benchmark: what linking wire copies into stories costs, beside the whole pipeline, on N articles.

    .venv/bin/python bench/bench_stories.py --set seeds|corpus --articles 2000 [--workers 2] [--repeat 3]

1. The whole pipeline runs once over the benchmark inputs (``bench/inputs.py``: every input a copy of a
   seed or a corpus page, so this is the hard case for the step: a few stories copied hundreds of times).
2. The articles it wrote are read back, and the stories step alone (sign, one list of members, band buckets,
   edges, one union-find) runs over them as its own Beam pipeline on the same runner, ``--repeat`` times; so does
   a pipeline that only moves the same articles (Beam's own cost of a pipeline over them), and the
   step's cost is the median difference.
3. The same with a window: the articles' signatures read back from the lake (as a run a day later
   reads them) and given to the step as published members, each new article a copy of one of them.

Figures go to ``bench/results/bench_stories-<set>-<articles>.json``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import apache_beam as beam  # noqa: E402
import pyarrow.dataset as ds  # noqa: E402

from bench_pipeline import run_pipeline  # noqa: E402
from inputs import make_inputs  # noqa: E402
from results import report  # noqa: E402
from schemas import ArticleRecord  # noqa: E402
from transforms.beam.stories import LinkStories, sign  # noqa: E402
from transforms.extract.model import DEFAULT_MODEL  # noqa: E402
from transforms.lake.staging import published_signatures  # noqa: E402


def _articles(output: str):
    """The articles the run wrote, as new records (no story yet), and how many stories it found."""
    table = ds.dataset(os.path.join(output, "articles"), format="parquet", partitioning="hive").to_table()
    fields = ArticleRecord._fields
    records = [ArticleRecord(**{k: row[k] for k in fields if k in row})._replace(story_id=None, story_signature=None)
               for row in table.to_pylist()]
    return records, len(table.column("story_id").unique())


def _timed(build) -> float:
    pipeline = beam.Pipeline(runner="DirectRunner")
    build(pipeline)
    start = time.perf_counter()
    pipeline.run().wait_until_finish()
    return time.perf_counter() - start


def _count(pcoll, label):
    return pcoll | f"Count{label}" >> beam.combiners.Count.Globally()


def measure(kind: str, articles: int, *, workers: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as work:
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        make_inputs(kind, articles, inbox)
        output = os.path.join(work, "out")
        run = run_pipeline(inbox, output, workers=workers, model=DEFAULT_MODEL)
        manifest = run["manifest"]
        records, stories = _articles(output)
        start = time.perf_counter()
        window = published_signatures(output, since="0000-00-00")
        window_read = time.perf_counter() - start

        def baseline(p):
            _count(p | beam.Create(records) | beam.Map(lambda a: a), "Articles")

        def step(published):
            def build(p):
                _count(p | beam.Create(records) | beam.Map(sign) | LinkStories(published), "Links")
            return build

        moves, alone, with_window = [], [], []
        for _ in range(repeat):   # alternated, so that a slow spell of the machine hits each alike
            moves.append(_timed(baseline))
            alone.append(_timed(step([])))
            with_window.append(_timed(step(window)))
    base = statistics.median(moves)
    wall = manifest["wall_seconds"]
    cost = statistics.median(alone) - base
    cost_window = statistics.median(with_window) - base
    return {
        "set": kind, "inputs": articles, "workers": workers, "articles": manifest["counts"]["articles"],
        "stories": stories, "story_links": manifest.get("metrics", {}).get("story_links"),
        "pipeline_seconds": round(wall, 2),
        "worker_seconds_by_step": manifest.get("stage_seconds"),
        "beam_moving_articles_seconds": [round(x, 2) for x in moves],
        "step_alone_seconds": [round(x, 2) for x in alone],
        "step_with_window_seconds": [round(x, 2) for x in with_window],
        "window_articles": len(window), "window_read_seconds": round(window_read, 2),
        "step_cost_seconds_median": round(cost, 2),
        "step_cost_share_of_pipeline": round(cost / wall, 4),
        "step_with_window_cost_seconds_median": round(cost_window + window_read, 2),
        "step_with_window_cost_share_of_pipeline": round((cost_window + window_read) / wall, 4),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="kind", choices=("seeds", "corpus"), default="seeds")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = measure(args.kind, args.articles, workers=args.workers, repeat=args.repeat)
    report(f"bench_stories-{args.kind}-{args.articles}", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
