"""The scale figures in one command: pipeline vs floor, two workers vs one, time and memory by size.

    .venv/bin/python bench/bench_scale.py [--sizes 500 2000 10000] [--articles 2000]

1. For the seeds and the extraction corpus at ``--articles``: the pipeline with one worker and
   its floor (ratio), then with two workers (``multi_processing``; speed-up).
2. For the seeds at each of ``--sizes``, two workers: wall time, articles/s, the peak RSS of the
   launcher and of each worker.

Writes every run to ``bench/results/`` (see ``bench_pipeline.py``), the whole set to
``bench/results/bench_scale.json`` and the curve to ``bench/results/bench_scale.png``. About
45 minutes on a 2-core machine with the defaults.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_pipeline import measure  # noqa: E402
from results import RESULTS, report  # noqa: E402


def plot(curve: list, path: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [point["inputs"] for point in curve]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes, [point["pipeline_seconds"] for point in curve], marker="o")
    left.set(xlabel="articles", ylabel="wall time (s)", title="Time, 2 workers")
    right.plot(sizes, [max(point["worker_peak_rss_mib"] or [0]) for point in curve], marker="o", label="worker (max)")
    right.plot(sizes, [point["launcher_peak_rss_mib"] for point in curve], marker="s", label="launcher")
    right.set(xlabel="articles", ylabel="peak RSS (MiB)", title="Memory, 2 workers")
    right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    args = parser.parse_args()
    summary = {"floor": {}, "curve": []}
    for kind in ("seeds", "corpus"):
        one = measure(kind, args.articles, workers=1)
        report(f"bench_pipeline-{kind}-{args.articles}-1w", one)
        two = measure(kind, args.articles, workers=2, floor=False)
        report(f"bench_pipeline-{kind}-{args.articles}-2w", two)
        summary["floor"][kind] = {
            "articles": one["articles"], "pipeline_seconds_1w": one["pipeline_seconds"],
            "floor_seconds": one["floor_seconds"], "pipeline_to_floor_ratio": one["pipeline_to_floor_ratio"],
            "pipeline_seconds_2w": two["pipeline_seconds"],
            "two_worker_speedup": round(one["pipeline_seconds"] / two["pipeline_seconds"], 2)}
        if kind == "seeds" and args.articles in args.sizes:
            summary["curve"].append(two)
    for size in args.sizes:
        if any(point["inputs"] == size for point in summary["curve"]):
            continue
        point = measure("seeds", size, workers=2, floor=False)
        report(f"bench_pipeline-seeds-{size}-2w", point)
        summary["curve"].append(point)
    summary["curve"].sort(key=lambda point: point["inputs"])
    summary["curve"] = [{key: point[key] for key in ("inputs", "articles", "pipeline_seconds",
                                                    "pipeline_articles_per_second", "launcher_peak_rss_mib",
                                                    "worker_peak_rss_mib", "phase_seconds")}
                        for point in summary["curve"]]
    report("bench_scale", summary)
    plot(summary["curve"], os.path.join(RESULTS, "bench_scale.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
