"""Benchmark: the seeds into a lake on a local disk and into a lake on S3 (moto's server on 127.0.0.1), one
after the other in one process, ``--repeats`` times each (the median is reported): the S3 lake's overhead is
the difference, per phase of the run's manifest. Writes bench/results/bench_s3.json.

    .venv/bin/python bench/bench_s3.py [--repeats 3] [--dask]

``--dask``: the runs on a Dask ``LocalCluster`` of two worker processes on 127.0.0.1 (the ``dask`` extra)
instead of Beam's in-process runner.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from results import report  # noqa: E402
from tests.s3_server import LocalS3, s3_flags  # noqa: E402

BUCKET = "bench"
SEEDS = os.path.join(ROOT, "seeds")


def one_run(output: str, run_id: str, flags) -> dict:
    from pipelines import news_events

    start = time.perf_counter()
    manifest = news_events.run(["--input", SEEDS, "--output", output, "--run-id", run_id, *flags])
    total = time.perf_counter() - start
    assert manifest["status"] == "succeeded", manifest
    return {"wall": total, **manifest["phase_seconds"]}


def median_of(runs):
    return {key: round(statistics.median(run.get(key, 0.0) for run in runs), 2) for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dask", action="store_true", help="run on a Dask LocalCluster of two workers")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        runner = []
        if args.dask:
            import distributed

            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0"))
            runner = ["--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                      "--dask_client_address", cluster.scheduler_address]
        return measure(args.repeats, runner, "bench_s3_dask" if args.dask else "bench_s3")


def measure(repeats: int, runner, name: str) -> int:
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    scratch = tempfile.mkdtemp(prefix="bench-s3-")
    local, remote = [], []
    try:
        with LocalS3(buckets=[BUCKET]) as endpoint:
            flags = s3_flags(endpoint)
            one_run(os.path.join(scratch, "warm"), "bench", runner)   # the first run of a process loads more
            for number in range(repeats):   # alternately first, so that neither lake is favoured
                runs = [lambda: local.append(one_run(os.path.join(scratch, f"lake{number}"), "bench", runner)),
                        lambda: remote.append(one_run(f"s3://{BUCKET}/lake{number}", "bench", [*runner, *flags]))]
                for go in (runs if number % 2 == 0 else runs[::-1]):
                    go()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    here, there = median_of(local), median_of(remote)
    figures = {"articles": len([entry for entry in os.listdir(SEEDS) if entry.endswith(".txt")]),
               "repeats": repeats, "local_wall_s": here["wall"], "s3_wall_s": there["wall"],
               "s3_overhead_s": round(there["wall"] - here["wall"], 2),
               **{f"local_{phase}_s": value for phase, value in here.items() if phase != "wall"},
               **{f"s3_{phase}_s": value for phase, value in there.items() if phase != "wall"}}
    report(name, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
