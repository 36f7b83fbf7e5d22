"""Benchmark: the whole pipeline against its floor (trafilatura + spaCy ``nlp.pipe``) on the same inputs.

    .venv/bin/python bench/bench_pipeline.py --set seeds|corpus --articles 2000 [--workers 2] [--no-floor]

The inputs are the seeds or the extraction corpus copied to ``--articles`` distinct articles
(``bench/inputs.py``). The pipeline runs as its own process (``python -m pipelines.news_events``,
DirectRunner; ``--workers 2`` is ``multi_processing`` with two workers) while a thread samples the
peak resident memory of that process and of each worker process. Its time is the run's
``wall_seconds`` from the manifest (interpreter start-up and imports are reported apart).

The floor is measured in this process over the same files: trafilatura's ``bare_extraction``
(``readers.extract_document``, as the reader calls it) on the HTML pages, then ``nlp.pipe`` with
the pipeline's components over the texts, batch 32, one process. Loading the model is not part of the floor.

Figures go to ``bench/results/bench_pipeline-<set>-<articles>-<workers>w.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from inputs import make_inputs  # noqa: E402
from memory import run_watched  # noqa: E402
from results import report  # noqa: E402
from transforms.ingest.readers import extract_document  # noqa: E402
from transforms.beam.analyse import DEFAULT_BATCH_SIZE  # noqa: E402
from transforms.extract.model import ANALYSIS_COMPONENTS, DEFAULT_MODEL, load_model  # noqa: E402


def run_pipeline(inbox: str, output: str, *, workers: int, model: str) -> dict:
    """Run the pipeline in a child process; returns its manifest plus timing and memory figures."""
    command = [sys.executable, "-m", "pipelines.news_events", "--input", inbox, "--output", output,
               "--run-id", "bench", "--model", model]
    if workers > 1:
        command += ["--direct_running_mode", "multi_processing", "--direct_num_workers", str(workers)]
    run = run_watched(command, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"pipeline failed ({run.returncode}):\n{run.stdout}\n{run.stderr[-3000:]}")
    with open(os.path.join(output, "_runs", "bench.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    return {"manifest": manifest, "process_seconds": run.seconds, "launcher_peak_mib": run.launcher_mib,
            "worker_peak_mib": [run.monitor.peaks[pid][1] for pid in run.worker_pids()]}


def working_seconds(manifest: dict, workers: int) -> float:
    """The run's wall time without the workers' model loading and start-up (the ``load`` and ``start``
    stages, summed over workers who load and start side by side): what compares with the floor, which
    excludes its imports and model loading too. With one worker the run's imports come before its clock
    starts (no ``start`` stage); a worker process of a multi-process run imports the same modules after it."""
    stages = manifest.get("stage_seconds") or {}
    return manifest["wall_seconds"] - (stages.get("load", 0.0) + stages.get("start", 0.0)) / workers


def floor_inside(manifest: dict) -> float:
    """The floor's work as the run itself timed it: trafilatura's extraction (the ``html`` stage) and the
    parse (``nlp``), summed over workers. Measured in the same minutes as the rest of the run, so the
    machine's drift between a pipeline run and a floor run does not touch it."""
    stages = manifest.get("stage_seconds") or {}
    return stages.get("html", 0.0) + stages.get("nlp", 0.0)


def floor_seconds(paths, *, model: str) -> dict:
    """trafilatura (HTML inputs) and nlp.pipe alone over the same files, in this process."""
    nlp = load_model(model, components=ANALYSIS_COMPONENTS)
    texts, extraction = [], 0.0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            content = handle.read()
        if path.endswith(".html"):
            start = time.perf_counter()
            document = extract_document(content)
            extraction += time.perf_counter() - start
            content = (document.text or "") if document is not None else ""
        if content.strip():
            texts.append(content)
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=DEFAULT_BATCH_SIZE):
        pass
    parse = time.perf_counter() - start
    return {"trafilatura_seconds": round(extraction, 2), "nlp_pipe_seconds": round(parse, 2),
            "floor_seconds": round(extraction + parse, 2), "floor_texts": len(texts)}


def measure(kind: str, articles: int, *, workers: int = 1, floor: bool = True, model: str = DEFAULT_MODEL) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsevents-bench-") as work:
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        paths, left_out = make_inputs(kind, articles, inbox)
        run = run_pipeline(inbox, os.path.join(work, "out"), workers=workers, model=model)
        floor = floor_seconds(paths, model=model) if floor else {}
    manifest = run["manifest"]
    seconds = manifest["wall_seconds"]
    working = working_seconds(manifest, workers)
    figures = {
        "set": kind, "inputs": articles, "workers": workers, "sources_left_out": left_out,
        "articles": manifest["counts"]["articles"], "rejects": manifest["counts"]["rejects"],
        "duplicates": manifest["counts"]["duplicates"],
        "pipeline_seconds": round(seconds, 2),
        "pipeline_seconds_without_model_load": round(working, 2),
        "pipeline_articles_per_second": round(manifest["counts"]["articles"] / seconds, 2),
        "process_seconds": round(run["process_seconds"], 2),
        "phase_seconds": manifest.get("phase_seconds"),
        "worker_seconds_by_step": manifest.get("stage_seconds"),
        "launcher_peak_rss_mib": round(run["launcher_peak_mib"], 1),
        "worker_peak_rss_mib": [round(m, 1) for m in sorted(run["worker_peak_mib"])],
        **floor,
    }
    if floor:
        figures["pipeline_to_floor_ratio"] = round(working / floor["floor_seconds"], 3)
    if workers == 1 and floor_inside(manifest):
        figures["ratio_inside_the_run"] = round(working / floor_inside(manifest), 3)
    figures.update(components=list(ANALYSIS_COMPONENTS), python=platform.python_version(), cpus=os.cpu_count())
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="kind", choices=("seeds", "corpus"), default="seeds")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    figures = measure(args.kind, args.articles, workers=args.workers, floor=args.floor, model=args.model)
    report(f"bench_pipeline-{args.kind}-{args.articles}-{args.workers}w", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
