"""The scale figures in one command: pipeline vs floor, two workers vs one, time and memory by size.

    .venv/bin/python bench/bench_scale.py [--parts floor curve] [--articles 2000] [--sizes 500 2000 10000]

1. ``floor``: for the seeds and the extraction corpus at ``--articles``: the pipeline with one
   worker and its floor (ratio), then with two workers (``multi_processing``; speed-up). Written to
   ``bench/results/bench_scale_floor.json``.
2. ``curve``: for the seeds at each of ``--sizes``, two workers: wall time, articles/s, the peak RSS
   of the launcher and of each worker. Written to ``bench/results/bench_scale_curve.json`` and
   drawn in ``bench/results/bench_scale_curve.html``.

Every run is also in ``bench/results/`` on its own (see ``bench_pipeline.py``). About an hour on
a 2-core machine with the defaults (35 minutes for ``floor``, 25 for ``curve``).
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_pipeline import measure  # noqa: E402
from results import RESULTS, report  # noqa: E402


def plot(curve: list, path: str) -> None:
    """Time and peak memory against the number of articles, as a self-contained HTML page (Plotly)."""
    from plotly.subplots import make_subplots

    sizes = [point["inputs"] for point in curve]
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Time, 2 workers", "Memory, 2 workers"))
    figure.add_scatter(x=sizes, y=[point["pipeline_seconds"] for point in curve], mode="lines+markers",
                       name="wall time (s)", row=1, col=1)
    figure.add_scatter(x=sizes, y=[max(point["worker_peak_rss_mib"] or [0]) for point in curve],
                       mode="lines+markers", name="worker peak RSS (MiB, max)", row=1, col=2)
    figure.add_scatter(x=sizes, y=[point["launcher_peak_rss_mib"] for point in curve], mode="lines+markers",
                       name="launcher peak RSS (MiB)", row=1, col=2)
    figure.update_xaxes(title_text="articles")
    figure.write_html(path, include_plotlyjs="inline")


def floor_part(articles: int) -> dict:
    summary = {}
    for kind in ("seeds", "corpus"):
        one = measure(kind, articles, workers=1)
        report(f"bench_pipeline-{kind}-{articles}-1w", one)
        two = measure(kind, articles, workers=2, floor=False)
        report(f"bench_pipeline-{kind}-{articles}-2w", two)
        summary[kind] = {
            "articles": one["articles"], "pipeline_seconds_1w": one["pipeline_seconds"],
            "trafilatura_seconds": one["trafilatura_seconds"], "nlp_pipe_seconds": one["nlp_pipe_seconds"],
            "floor_seconds": one["floor_seconds"], "pipeline_to_floor_ratio": one["pipeline_to_floor_ratio"],
            "pipeline_seconds_2w": two["pipeline_seconds"],
            "two_worker_speedup": round(one["pipeline_seconds"] / two["pipeline_seconds"], 2)}
    return summary


def curve_part(sizes) -> list:
    curve = []
    for size in sorted(sizes):
        point = measure("seeds", size, workers=2, floor=False)
        report(f"bench_pipeline-seeds-{size}-2w", point)
        curve.append({key: point[key] for key in ("inputs", "articles", "pipeline_seconds",
                                                  "pipeline_articles_per_second", "launcher_peak_rss_mib",
                                                  "worker_peak_rss_mib", "phase_seconds")})
    return curve


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=("floor", "curve"), default=["floor", "curve"])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    args = parser.parse_args()
    if "floor" in args.parts:
        report("bench_scale_floor", floor_part(args.articles))
    if "curve" in args.parts:
        curve = curve_part(args.sizes)
        report("bench_scale_curve", {"curve": curve})
        plot(curve, os.path.join(RESULTS, "bench_scale_curve.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
