"""Composite transforms from input files to clean articles.

Thin Beam shells around ``transforms.ingest.readers`` and ``transforms.ingest.articles``. Every
step that can refuse an element has a ``rejected`` output of :class:`schemas.RejectRecord`
(routed with ``transforms.beam.routing``); nothing is dropped without a row or a counter.
"""
from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Optional, Tuple

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from schemas import RejectRecord
from transforms.beam.filesystems import RunFilesFn, run_options
from transforms.beam.metrics import count, count_reject, flush_stage_seconds, stage_timer
from transforms.beam.routing import GroupBySize, SplitOutputs, routed
from transforms.common.faults import checkpoint
from transforms.ingest.articles import DEFAULT_MIN_WORDS, build_article
from transforms.ingest.cleaning import load_boilerplate_rules
from transforms.ingest.language import language_identifier
from transforms.ingest.readers import InputRejected, read_input


def reject_record(rejected: InputRejected) -> RejectRecord:
    return RejectRecord(input=rejected.input, stage=rejected.stage, reason=rejected.reason,
                        detail=rejected.detail)


class ReadInputFn(RunFilesFn):
    """(path, root) -> ``(PARSED, ParsedArticle)`` or ``(REJECTED, RejectRecord)``."""
    PARSED = "parsed"
    REJECTED = "rejected"

    def process(self, element: Tuple[str, str]):
        spent: dict = {}
        with stage_timer("read") as timer:   # outputs collected first: the time is this step's own
            outputs = list(self._read(element, spent))
            for stage, seconds in spent.items():   # trafilatura's part ("html"), which the floor measures
                timer.set_apart(stage, seconds)
        checkpoint("read")
        yield from outputs

    def _read(self, element: Tuple[str, str], spent: dict):
        path, root = element
        count("inputs")
        try:
            for item in read_input(path, root=root, opener=FileSystems.open, spent=spent):
                count("records_read")
                if isinstance(item, InputRejected):
                    count_reject(item.stage, item.reason)
                    yield routed(self.REJECTED, reject_record(item))
                else:
                    yield routed(self.PARSED, item)
        except InputRejected as rejected:  # the whole file: one record, rejected
            count("records_read")
            count_reject(rejected.stage, rejected.reason)
            yield routed(self.REJECTED, reject_record(rejected))


def file_key(element: Tuple[str, str]) -> str:
    return element[0]


def file_size(element: Tuple[str, str]) -> int:
    """What reading a file costs, about: its bytes on a local disk; 0 in an object store (telling would cost a
    request per file) and for a file that cannot be read (the reader then says why)."""
    path = element[0]
    if FileSystems.get_scheme(path) not in (None, "file"):
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class ReadArticles(beam.PTransform):
    """Input files (``(path, root)`` pairs) -> ``parsed`` articles and ``rejected`` rows.

    The files are read in ``groups`` of about equal bytes (``routing.GroupBySize``): a runner that splits a
    step's input between workers by count would otherwise leave one idle while the other reads its share.
    """

    def __init__(self, groups: int = 1):
        super().__init__()
        self.groups = groups

    def expand(self, files):
        return (files
                | "Group" >> GroupBySize(file_key, file_size, self.groups)
                | "Files" >> beam.FlatMap(_grouped_files)
                | "ReadInput" >> beam.ParDo(ReadInputFn(run_options(files.pipeline)))
                | "Route" >> SplitOutputs(ReadInputFn.PARSED, ReadInputFn.REJECTED))


def _grouped_files(group):
    return group[1]


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
        self.loading = 0.0

    def setup(self):
        self.rules = load_boilerplate_rules(self.rules_path)
        start = time.perf_counter()
        language_identifier()   # a model load (once per process), reported as such, not as cleaning
        self.loading = time.perf_counter() - start

    def process(self, parsed):
        self.loading = flush_stage_seconds("load", self.loading)   # metrics count only inside a bundle
        with stage_timer("clean"):   # outputs collected first: the time is this step's own
            outputs = list(self._clean(parsed))
        yield from outputs

    def _clean(self, parsed):
        try:
            article = build_article(parsed, rules=self.rules, run_id=self.run_id,
                                    ingested_at=self.ingested_at, min_words=self.min_words)
        except InputRejected as rejected:
            count_reject(rejected.stage, rejected.reason)
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


def with_run_id(record: RejectRecord, run_id: str) -> RejectRecord:
    return record._replace(run_id=run_id)
