"""Benchmark: what reading who is who costs, against the parse it follows, on real articles.

    .venv/bin/python bench/bench_who.py [--articles 200] [--repeat 3]

The texts are the first ``--articles`` of PolNeAR's political news (``../shared/corpus/attribution``; the seeds
when it is absent). Each is parsed once with the pipeline's model (``nlp.pipe``, timed: the floor); then, per
article, the dictionaries' actors (:func:`resolve_actors`, which ran before this work too) and the who-is-who
(:func:`transforms.extract.who.read_cast`, the new pass) are timed apart, ``--repeat`` times, the median kept.
The issue's budget: the pass at most 10% of the parse. Figures go to ``bench/results/bench_who.json``.
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from results import report  # noqa: E402
from transforms.extract.actors import resolve_actors  # noqa: E402
from transforms.extract.analyse import Resources  # noqa: E402
from transforms.extract.model import DEFAULT_MODEL  # noqa: E402
from transforms.extract.who import read_cast  # noqa: E402

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "attribution", "polnear-train", "text")


def texts(count: int):
    paths = sorted(glob.glob(os.path.join(CORPUS, "*.txt"))) or sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))
    out = []
    for path in paths[:count]:
        with open(path, encoding="utf-8") as handle:
            out.append(handle.read())
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    resources = Resources.load(model=DEFAULT_MODEL)
    articles = texts(args.articles)
    start = time.perf_counter()
    docs = list(resources.nlp.pipe(articles, batch_size=32))
    parse = time.perf_counter() - start
    actors_runs, cast_runs, mentions = [], [], 0
    for _ in range(args.repeat):
        actors_seconds = cast_seconds = 0.0
        mentions = 0
        for doc, text in zip(docs, articles):
            started = time.perf_counter()
            named = resolve_actors(doc, resources.lexicon, day=None)
            middle = time.perf_counter()
            cast = read_cast(doc, named, text=text, gazetteer=resources.gazetteer, titles=resources.titles,
                             role_nouns=resources.role_nouns, people=resources.people,
                             countries=resources.lexicon.country_names, common_nouns=resources.common_nouns)
            cast.actor_mentions(named)
            actors_seconds += middle - started
            cast_seconds += time.perf_counter() - middle
            mentions += sum(len(e.mentions) for e in cast.entities)
        actors_runs.append(actors_seconds)
        cast_runs.append(cast_seconds)
    cast_median = statistics.median(cast_runs)
    report("bench_who", {
        "articles": len(articles), "characters": sum(map(len, articles)), "mentions": mentions,
        "parse_seconds": round(parse, 2), "actors_seconds_median": round(statistics.median(actors_runs), 3),
        "who_is_who_seconds_median": round(cast_median, 3), "who_is_who_seconds_runs": [round(s, 3) for s in cast_runs],
        "who_is_who_share_of_parse": round(cast_median / parse, 4)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
