"""Composite transforms from input files to unique, clean articles.

Thin Beam shells around ``transforms.readers``, ``transforms.articles`` and the
duplicate rule. Every step that can refuse an element has a ``rejected`` output of
:class:`schemas.RejectRecord` (routed with ``transforms.routing``); nothing is dropped
without a row or a counter.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional, Tuple

import time

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas import RejectRecord
from transforms.articles import DEFAULT_MIN_WORDS, build_article
from transforms.cleaning import load_boilerplate_rules
from transforms.readers import InputRejected, read_input
from transforms.routing import SplitOutputs, routed

NAMESPACE = "newsevents"
#: ``why`` of a duplicate that an earlier run published (``duplicates_published`` in the manifest).
PUBLISHED_BEFORE = "published before"


class stage_timer:
    """Adds the time spent in a block to the ``stage_ms.<stage>`` distribution (milliseconds)."""

    def __init__(self, stage: str):
        self.metric = Metrics.distribution(NAMESPACE, f"stage_ms.{stage}")

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc_info):
        self.metric.update(int((time.perf_counter() - self.start) * 1000))


def reject_record(rejected: InputRejected) -> RejectRecord:
    return RejectRecord(input=rejected.input, stage=rejected.stage, reason=rejected.reason,
                        detail=rejected.detail)


def count_reject(rejected: InputRejected) -> None:
    Metrics.counter(NAMESPACE, f"rejects.{rejected.stage}.{rejected.reason}").inc()


class ReadInputFn(beam.DoFn):
    """(path, root) -> ``(PARSED, ParsedArticle)`` or ``(REJECTED, RejectRecord)``."""
    PARSED = "parsed"
    REJECTED = "rejected"

    def __init__(self):
        self.inputs = Metrics.counter(NAMESPACE, "inputs")
        self.records = Metrics.counter(NAMESPACE, "records_read")

    def process(self, element: Tuple[str, str]):
        with stage_timer("read"):   # outputs collected first: the time is this step's own
            outputs = list(self._read(element))
        yield from outputs

    def _read(self, element: Tuple[str, str]):
        path, root = element
        self.inputs.inc()
        try:
            for item in read_input(path, root=root, opener=FileSystems.open):
                self.records.inc()
                if isinstance(item, InputRejected):
                    count_reject(item)
                    yield routed(self.REJECTED, reject_record(item))
                else:
                    yield routed(self.PARSED, item)
        except InputRejected as rejected:  # the whole file: one record, rejected
            self.records.inc()
            count_reject(rejected)
            yield routed(self.REJECTED, reject_record(rejected))


class ReadArticles(beam.PTransform):
    """Input files (``(path, root)`` pairs) -> ``parsed`` articles and ``rejected`` rows."""

    def expand(self, files):
        return (files
                | "ReadInput" >> beam.ParDo(ReadInputFn())
                | "Route" >> SplitOutputs(ReadInputFn.PARSED, ReadInputFn.REJECTED))


class CleanArticleFn(beam.DoFn):
    """ParsedArticle -> ``(ARTICLES, (input, ArticleRecord))`` or ``(REJECTED, RejectRecord)``."""
    ARTICLES = "articles"
    REJECTED = "rejected"

    def __init__(self, *, run_id: str, ingested_at: datetime, min_words: int,
                 rules_path: Optional[str]):
        self.run_id = run_id
        self.ingested_at = ingested_at
        self.min_words = min_words
        self.rules_path = rules_path
        self.rules = None

    def setup(self):
        self.rules = load_boilerplate_rules(self.rules_path)

    def process(self, parsed):
        with stage_timer("clean"):   # outputs collected first: the time is this step's own
            outputs = list(self._clean(parsed))
        yield from outputs

    def _clean(self, parsed):
        try:
            article = build_article(parsed, rules=self.rules, run_id=self.run_id,
                                    ingested_at=self.ingested_at, min_words=self.min_words)
        except InputRejected as rejected:
            count_reject(rejected)
            yield routed(self.REJECTED, reject_record(rejected))
            return
        yield routed(self.ARTICLES, (parsed.input, article))


class CleanArticles(beam.PTransform):
    """Parsed articles -> ``articles`` as ``(input, ArticleRecord)`` and ``rejected`` rows."""

    def __init__(self, *, run_id: str, ingested_at: datetime,
                 min_words: int = DEFAULT_MIN_WORDS, rules_path: Optional[str] = None):
        super().__init__()
        self.fn = CleanArticleFn(run_id=run_id, ingested_at=ingested_at,
                                 min_words=min_words, rules_path=rules_path)

    def expand(self, parsed):
        return (parsed
                | "Clean" >> beam.ParDo(self.fn)
                | "Route" >> SplitOutputs(CleanArticleFn.ARTICLES, CleanArticleFn.REJECTED))


def duplicate_record(duplicate_input: str, duplicate_of: Optional[str], kept_input: Optional[str],
                     why: str) -> dict:
    """An input that is not an article of its own, and what it duplicates (a line of the run's
    duplicates log)."""
    return {"input": duplicate_input, "duplicate_of": duplicate_of, "kept_input": kept_input, "why": why}


def keep_first(keyed_group, *, why: str):
    """From ``(key, [(input, article), ...])`` keep the smallest input; the rest are duplicates.

    Yields:
        ``("articles", (input, article))`` for the kept one, then ``("duplicates", {...})`` per other.
    """
    _key, group = keyed_group
    ordered = sorted(group, key=lambda pair: pair[0])
    kept_input, kept = ordered[0]
    yield routed("articles", (kept_input, kept))
    for duplicate_input, _article in ordered[1:]:
        Metrics.counter(NAMESPACE, "duplicates").inc()
        yield routed("duplicates", duplicate_record(duplicate_input, kept.article_id, kept_input, why))


class DeduplicateArticles(beam.PTransform):
    """Same content (``content_sha256``), then same ``article_id``: one article each.

    Outputs ``articles`` (ArticleRecord) and ``duplicates`` (dicts, also counted).
    """

    def expand(self, keyed_articles):
        by_content = (
            keyed_articles
            | "KeyByContent" >> beam.Map(lambda pair: (pair[1].content_sha256, pair))
            | "GroupByContent" >> beam.GroupByKey()
            | "KeepFirstContent" >> beam.FlatMap(keep_first, why="same content")
            | "RouteContent" >> SplitOutputs("articles", "duplicates"))
        by_id = (
            by_content["articles"]
            | "KeyById" >> beam.Map(lambda pair: (pair[1].article_id, pair))
            | "GroupById" >> beam.GroupByKey()
            | "KeepFirstId" >> beam.FlatMap(keep_first, why="same article_id")
            | "RouteId" >> SplitOutputs("articles", "duplicates"))
        articles = by_id["articles"] | "DropInput" >> beam.Map(lambda pair: pair[1])
        duplicates = ((by_content["duplicates"], by_id["duplicates"])
                      | "AllDuplicates" >> beam.Flatten())
        return {"articles": articles, "duplicates": duplicates}


def with_run_id(record: RejectRecord, run_id: str) -> RejectRecord:
    return record._replace(run_id=run_id)



def version_against_published(article, known):
    """An article already published with the same content is a duplicate; a changed one is numbered.

    ``known`` is ``{article_id: (highest version, [content hashes])}`` of earlier runs.
    """
    best, digests = known.get(article.article_id, (0, []))
    if article.content_sha256 in digests:
        Metrics.counter(NAMESPACE, "duplicates_published").inc()
        yield routed("duplicates", duplicate_record(article.url or article.article_id, article.article_id, None,
                                                    PUBLISHED_BEFORE))
        return
    yield routed("articles", article._replace(version=best + 1))


class ExcludePublished(beam.PTransform):
    """Articles -> ``articles`` earlier runs have not published, each with its version number, and
    ``duplicates`` for the others."""

    def __init__(self, known_articles):
        super().__init__()
        self.known_articles = known_articles

    def expand(self, articles):
        known = (articles.pipeline | "KnownArticles" >> beam.Create(sorted(self.known_articles.items())))
        return (articles
                | "Version" >> beam.FlatMap(version_against_published, known=beam.pvalue.AsDict(known))
                | "Route" >> SplitOutputs("articles", "duplicates"))
