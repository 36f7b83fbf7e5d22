"""Benchmark: the whole pipeline vs spaCy's nlp.pipe alone, on the seeds repeated to ~500 articles.

    .venv/bin/python bench/bench_pipeline.py [--articles 500] [--runner-args ...]

Each copy of a seed gets a distinct second line, so every copy is its own article (no
duplicates). Reports articles per second for both and their ratio; writes the figures to
bench/results/bench_pipeline.json.
"""
from __future__ import annotations

import argparse
import glob
import os
import platform
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pipelines import news_events  # noqa: E402
from results import report  # noqa: E402
from transforms.cleaning import clean_article_text, load_boilerplate_rules  # noqa: E402
from transforms.nlp import ANALYSIS_COMPONENTS, DEFAULT_MODEL, load_model  # noqa: E402


def make_corpus(folder: str, articles: int) -> list:
    seeds = sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))
    texts = []
    for number in range(articles):
        with open(seeds[number % len(seeds)], encoding="utf-8") as handle:
            first, rest = handle.read().split("\n", 1)
        # After the first line, so that footer cuts and headline detection leave it alone.
        text = f"{first}\nBenchmark copy number {number} of this article was made for timing.\n{rest}"
        path = os.path.join(folder, f"{number:05d}.txt")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        texts.append(text)
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--runner-args", nargs=argparse.REMAINDER, default=[],
                        help="extra Beam flags for the pipeline run, e.g. --direct_num_workers 2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        inbox = os.path.join(work, "inbox")
        os.makedirs(inbox)
        texts = make_corpus(inbox, args.articles)

        start = time.perf_counter()
        manifest = news_events.run(["--input", inbox, "--output", os.path.join(work, "out"),
                                    "--run-id", "bench", "--model", args.model] + args.runner_args)
        pipeline_seconds = time.perf_counter() - start
        assert manifest["counts"]["articles"] == args.articles, manifest["counts"]

        rules = load_boilerplate_rules()
        cleaned = [clean_article_text(t, rules=rules, take_headline=True).text for t in texts]
        nlp = load_model(args.model, components=ANALYSIS_COMPONENTS)
        start = time.perf_counter()
        for _doc in nlp.pipe(cleaned, batch_size=32):
            pass
        nlp_seconds = time.perf_counter() - start

    figures = {
        "articles": args.articles,
        "runner_args": args.runner_args,
        "pipeline_seconds": round(pipeline_seconds, 2),
        "pipeline_articles_per_second": round(args.articles / pipeline_seconds, 1),
        "nlp_pipe_seconds": round(nlp_seconds, 2),
        "nlp_pipe_articles_per_second": round(args.articles / nlp_seconds, 1),
        "pipeline_to_nlp_ratio": round(pipeline_seconds / nlp_seconds, 2),
        "components": list(ANALYSIS_COMPONENTS),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    report("bench_pipeline", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
