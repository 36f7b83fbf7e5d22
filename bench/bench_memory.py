"""Where a run's memory goes: the resident memory of the launcher and of each worker, step by step.

    .venv/bin/python bench/bench_memory.py [--set seeds] [--sizes 2000 10000] [--workers 2] [pipeline flags...]

For each size, the inputs are made as for the other benchmarks (``bench/inputs.py``) and the pipeline
runs in a child process whose FnApiRunner writes the time at which each bundle of each fused step starts
(its own debug log, caught by a small bootstrap; nothing in the pipeline changes), and the time the
publish phase starts. A thread samples the resident memory (RSS) of the launcher, of every process that
runs a chunk's pipeline (a run in several chunks, ``pipelines.chunks``; their steps are not traced) and of
every worker twice a second. The result, per size, is a table of the run's segments (preparing, each
step, publishing) with the launcher's highest and last RSS in the segment and each worker's highest, and
one of the chunk processes (each one's peak and its workers'), written to
``bench/results/bench_memory-<set>-<size>-<workers>w.json``. Flags after the known ones go to the pipeline
(for example ``--chunk-size 2000``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from typing import Dict, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_pipeline import ROOT  # noqa: E402
from inputs import make_inputs  # noqa: E402
from memory import run_watched  # noqa: E402

#: Runs the pipeline's command line with two markers written to the trace file (argv[1]): each bundle's
#: start, from the FnApiRunner's own debug log, and the start of publishing.
BOOTSTRAP = r"""
import logging, sys, time
trace = open(sys.argv[1], "a", buffering=1)
class Bundles(logging.Handler):
    def emit(self, record):
        if record.msg.startswith("Running bundle for stage"):
            trace.write(f"{time.time()}\tstep\t{record.args[0]}\n")
bundles = logging.getLogger("apache_beam.runners.portability.fn_api_runner.fn_runner.run_bundle")
bundles.setLevel(logging.DEBUG)
bundles.propagate = False
bundles.addHandler(Bundles())
from transforms.lake import run as lake
publish = lake.LakeRun.publish
def traced_publish(self, *args, **kwargs):
    trace.write(f"{time.time()}\tpublish\t\n")
    return publish(self, *args, **kwargs)
lake.LakeRun.publish = traced_publish
from pipelines.news_events import main
sys.argv = ["newsevents"] + sys.argv[2:]
code = main()
trace.write(f"{time.time()}\tend\t\n")
sys.exit(code)
"""

TRANSFORM = re.compile(r"ref_AppliedPTransform_([A-Za-z_]+?)[-_]")


def step_label(stage: str) -> str:
    """A fused stage's name shortened to its top-level transforms, in order: ``Read+Clean+...``."""
    labels: List[str] = []
    for name in TRANSFORM.findall(stage):
        if name not in labels:
            labels.append(name)
    return "+".join(labels) or stage[:60]


def segments(trace: List[tuple], started: float) -> List[dict]:
    """``[(time, kind, stage)]`` -> consecutive segments: prepare, each step run (bundles of one stage in a
    row count as one), publish."""
    found = [{"segment": "prepare", "start": started}]
    for moment, kind, stage in trace:
        label = step_label(stage) if kind == "step" else kind
        if label != found[-1]["segment"]:
            found.append({"segment": label, "start": moment})
    return found


def by_segment(found: List[dict], timeline: List[tuple], launcher: int, workers: List[int]) -> List[dict]:
    rows = []
    for number, segment in enumerate(found):
        if segment["segment"] == "end":
            break
        end = found[number + 1]["start"] if number + 1 < len(found) else float("inf")
        inside = [(pid, mib) for moment, pid, mib in timeline if segment["start"] <= moment < end]
        launcher_mib = [mib for pid, mib in inside if pid == launcher]
        rows.append({
            "segment": segment["segment"], "seconds": round(min(end, timeline[-1][0]) - segment["start"], 1),
            "launcher_max_mib": round(max(launcher_mib), 1) if launcher_mib else None,
            "launcher_last_mib": round(launcher_mib[-1], 1) if launcher_mib else None,
            "worker_max_mib": [round(max([mib for pid, mib in inside if pid == worker] or [0.0]), 1)
                               for worker in workers],
        })
    return rows


def chunk_processes(run) -> List[dict]:
    """A run in several chunks launches each pipeline from a process of its own (``pipelines.chunks``):
    per such process, when it started (seconds after the launch), how long it lived, its peak RSS and the
    peaks of the workers that started while it lived."""
    timeline, rows = run.monitor.timeline, []
    workers = run.worker_pids()
    for pid in run.chunk_pids():
        moments = [moment for moment, seen, _mib in timeline if seen == pid]
        mine = [worker for worker in workers if moments[0] <= run.first_seen(worker) <= moments[-1]]
        rows.append({"started_s": round(moments[0] - timeline[0][0], 1), "seconds": round(moments[-1] - moments[0], 1),
                     "max_mib": round(run.monitor.peaks[pid][1], 1),
                     "worker_max_mib": [round(run.monitor.peaks[worker][1], 1) for worker in mine]})
    return rows


def measure(kind: str, articles: int, *, workers: int, extra: List[str]) -> Dict:
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as work:
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        make_inputs(kind, articles, inbox)
        trace_path = os.path.join(work, "trace.tsv")
        command = [sys.executable, "-c", BOOTSTRAP, trace_path, "--input", inbox,
                   "--output", os.path.join(work, "out"), "--run-id", "bench", *extra]
        if workers > 1:
            command += ["--direct_running_mode", "multi_processing", "--direct_num_workers", str(workers)]
        started = time.time()
        run = run_watched(command, cwd=ROOT, interval=0.5, timeline=True)
        if run.returncode != 0:
            raise SystemExit(f"pipeline failed ({run.returncode}):\n{run.stdout}\n{run.stderr[-3000:]}")
        with open(trace_path, encoding="utf-8") as handle:
            trace = [(float(moment), kind_, stage) for moment, kind_, stage
                     in (line.rstrip("\n").split("\t", 2) for line in handle)]
        with open(os.path.join(work, "out", "_runs", "bench.json"), encoding="utf-8") as handle:
            manifest = json.load(handle)
    worker_pids = run.worker_pids()
    rows = by_segment(segments(trace, started), run.monitor.timeline, run.pid, worker_pids)
    return {"set": kind, "inputs": articles, "workers": workers, "pipeline_flags": extra,
            "articles": manifest["counts"]["articles"], "wall_seconds": manifest["wall_seconds"],
            "launcher_peak_rss_mib": round(run.launcher_mib, 1),
            "worker_peak_rss_mib": sorted(round(run.monitor.peaks[pid][1], 1) for pid in worker_pids),
            "worker_processes": len(worker_pids), "segments": rows, "chunk_processes": chunk_processes(run)}


def print_table(figures: Dict) -> None:
    print(f"\n{figures['inputs']} inputs, {figures['workers']} workers, {figures['wall_seconds']:.0f} s: launcher peak "
          f"{figures['launcher_peak_rss_mib']} MiB, workers {figures['worker_peak_rss_mib']}")
    print(f"{'segment':60} {'s':>7} {'launcher max':>13} {'last':>7}  workers max")
    for row in figures["segments"]:
        print(f"{row['segment'][:60]:60} {row['seconds']:7.1f} {row['launcher_max_mib'] or 0:13.0f} "
              f"{row['launcher_last_mib'] or 0:7.0f}  {row['worker_max_mib']}")
    if figures["chunk_processes"]:
        print(f"\n{'chunk process':14} {'started s':>10} {'s':>7} {'max MiB':>8}  workers max")
        for number, row in enumerate(figures["chunk_processes"], 1):
            print(f"{number:<14} {row['started_s']:10.1f} {row['seconds']:7.1f} {row['max_mib']:8.0f}  {row['worker_max_mib']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="kind", choices=("seeds", "corpus"), default="seeds")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--workers", type=int, default=2)
    args, extra = parser.parse_known_args()
    for size in args.sizes:
        figures = measure(args.kind, size, workers=args.workers, extra=extra)
        path = os.path.join(ROOT, "bench", "results", f"bench_memory-{args.kind}-{size}-{args.workers}w.json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
        print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
