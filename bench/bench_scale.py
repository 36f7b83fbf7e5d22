"""The scale figures in one command: pipeline vs floor, two workers vs one, time and memory by size.

    .venv/bin/python bench/bench_scale.py [--parts floor curve] [--articles 2000] [--repeats 3] [--sizes 500 2000 10000]
        [--sets seeds corpus]

1. ``floor``: for the seeds and the extraction corpus (``--sets``) at ``--articles``, ``--repeats`` rounds (3 by
   default) of the pipeline with one worker, its floor and the pipeline with two workers
   (``multi_processing``), alternated so that the machine's noise touches all three alike: the medians,
   their ranges and each round's pipeline-to-floor ratio and two-worker speed-up. Each round also runs
   two floors side by side, each in a process of its own: what two fully independent copies of the
   unavoidable work gain from the second core, the ceiling of any two-worker speed-up on this machine.
   Written to ``bench/results/bench_scale_floor.json``.
2. ``curve``: for the seeds at each of ``--sizes``, two workers: wall time, articles/s, the peak RSS
   of the launcher and of each worker. Written to ``bench/results/bench_scale_curve.json`` and
   drawn in ``bench/results/bench_scale_curve.html``.

Each curve point is also in ``bench/results/`` on its own (see ``bench_pipeline.py``); the floor
part's rounds are in its file. On a 2-core machine with the defaults, about 45 minutes per round of
``floor`` (so some 2 h 15 min for three; the side-by-side floors are a quarter of it) and 25 for ``curve``.
"""
from __future__ import annotations

import argparse
import os
import multiprocessing
import statistics
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_pipeline import DEFAULT_MODEL, floor_inside, floor_seconds, measure, run_pipeline, working_seconds  # noqa: E402
from inputs import make_inputs  # noqa: E402
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


def _spread(values: list) -> dict:
    """The median of repeated measurements and their range, rounded."""
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3), "runs": [round(v, 3) for v in values]}


def side_by_side(paths, *, model: str = DEFAULT_MODEL) -> list:
    """Two floors over the same files at the same time, each in a fresh process: their floor times."""
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        runs = [pool.submit(floor_seconds, paths, model=model) for _ in range(2)]
        return [run.result()["floor_seconds"] for run in runs]


def alternating(kind: str, articles: int, *, repeats: int, model: str = DEFAULT_MODEL) -> dict:
    """The pipeline (one worker), its floor and the pipeline with two workers, one after the other and
    ``repeats`` times over the same inputs, so that a noisy minute of the machine touches all three alike;
    the medians, their ranges, and the pipeline-to-floor ratio of each round. The pipeline's times leave
    out the workers' model loading, as the floor does (``working_seconds``). The extraction rules (the
    manifest's ``extract`` stage: the product, not overhead, but no part of the floor) are reported apart,
    with the ratio the pipeline would have without them, and the ratio to the floor's work as the one-worker
    run timed it itself (``floor_inside``: the same trafilatura and parse, in the same minutes; the
    separate floor run can fall in a faster or slower minute of the machine)."""
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as work:
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        paths, left_out = make_inputs(kind, articles, inbox)
        one, rules, inside, floors, two, pairs, produced = [], [], [], [], [], [], None
        for number in range(repeats):
            run = run_pipeline(inbox, os.path.join(work, f"one-{number}"), workers=1, model=model)
            one.append(working_seconds(run["manifest"], 1))
            rules.append((run["manifest"].get("stage_seconds") or {}).get("extract", 0.0))
            inside.append(floor_inside(run["manifest"]))
            produced = run["manifest"]["counts"]["articles"]
            floors.append(floor_seconds(paths, model=model)["floor_seconds"])
            two.append(working_seconds(run_pipeline(inbox, os.path.join(work, f"two-{number}"), workers=2,
                                                    model=model)["manifest"], 2))
            pairs.append(side_by_side(paths, model=model))
    return {"set": kind, "inputs": articles, "articles": produced, "sources_left_out": left_out, "repeats": repeats,
            "pipeline_seconds_1w": _spread(one), "floor_seconds": _spread(floors),
            "pipeline_to_floor_ratio": _spread([p / f for p, f in zip(one, floors)]),
            "extraction_rules_seconds_1w": _spread(rules),
            "ratio_without_the_rules": _spread([(p - r) / f for p, r, f in zip(one, rules, floors)]),
            "floor_inside_the_run_seconds": _spread(inside),
            "ratio_inside_the_run": _spread([p / f for p, f in zip(one, inside)]),
            "pipeline_seconds_2w": _spread(two),
            "two_worker_speedup": _spread([p / q for p, q in zip(one, two)]),
            "floors_side_by_side_seconds": _spread([max(pair) for pair in pairs]),
            "two_core_ceiling": _spread([2 * f / max(pair) for f, pair in zip(floors, pairs)]),
            "cpus": os.cpu_count()}


def floor_part(articles: int, repeats: int, sets=("seeds", "corpus")) -> dict:
    """The seeds and the extraction corpus, each measured by :func:`alternating`."""
    return {kind: alternating(kind, articles, repeats=repeats) for kind in sets}


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
    parser.add_argument("--repeats", type=int, default=3, help="rounds of pipeline, floor and two workers, alternated")
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--sets", nargs="+", choices=("seeds", "corpus"), default=["seeds", "corpus"],
                        help="the inputs of the floor part")
    args = parser.parse_args()
    if "floor" in args.parts:
        report("bench_scale_floor", floor_part(args.articles, args.repeats, args.sets))
    if "curve" in args.parts:
        curve = curve_part(args.sizes)
        report("bench_scale_curve", {"curve": curve})
        plot(curve, os.path.join(RESULTS, "bench_scale_curve.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
