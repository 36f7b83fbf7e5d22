"""NLP over articles: the spaCy model and the coding dictionaries loaded once per worker.

One parse per article (``nlp.pipe`` over batches) feeds ``transforms.extract.analyse``, which
decides what the article yields. Non-English articles pass through without NLP.

Articles reach the model in groups of about equal text (a GroupByKey on a plan made from every
article's length, ``routing.GroupBySize``, not ``BatchElements``, whose last batch comes from
``finish_bundle`` and is lost on the DaskRunner): workers that take the same number of groups take
about the same work. Each group is parsed in batches of ``batch_size``.
"""
from __future__ import annotations

import os
import threading
import time
from typing import List

import apache_beam as beam
from apache_beam.utils.shared import Shared

from schemas import RejectRecord
from transforms.beam.metrics import count, count_reject, flush_stage_seconds, stage_timer
from transforms.beam.routing import GroupBySize, SplitOutputs, batches, routed
from transforms.common.faults import checkpoint
from transforms.extract.analyse import Resources, analyse
from transforms.extract.model import DEFAULT_MODEL, parse

DEFAULT_BATCH_SIZE = 32
#: Articles per NLP group: enough for batching, small enough to spread over workers.
ARTICLES_PER_GROUP = 100


_LOADED: dict = {}
_LOADING = threading.Lock()


def _loaded(settings: dict) -> Resources:
    """The resources of ``settings``, loaded once per process and kept for the next pipeline the same process
    runs (the launcher's in-process runner, a test session): a new model load costs seconds each time. Only
    the latest settings are kept; a dictionary file that changed on disk since is loaded again."""
    stamps = tuple((path, os.path.getmtime(path) if os.path.exists(path) else None)
                   for key in ("actor_files", "agent_files") for path in settings[key]) + tuple(
        (path, os.path.getmtime(path) if path and os.path.exists(path) else None)
        for path in (settings["verb_file"], settings["topics_file"]))
    key = (repr(sorted(settings.items())), stamps)
    with _LOADING:
        if key not in _LOADED:
            _LOADED.clear()
            _LOADED[key] = Resources.load(**settings)
        return _LOADED[key]


class _WorkerResources:
    """The extraction resources of one worker process, and a lock its threads take turns with
    (a spaCy pipeline is not meant to be used by two threads at once)."""

    def __init__(self, resources: Resources):
        self.resources = resources
        self.lock = threading.Lock()


class AnalyseFn(beam.DoFn):
    """``(group, ArticleRecords)`` -> ``(kind, record)``: the article on ``ARTICLES`` (unless its analysis
    failed: then it is an ``extract/nlp_error`` reject on ``REJECTED`` instead, never both, and a later
    run reads it again), EntityRecords on ``ENTITIES``, MentionRecords on ``MENTIONS``, EventRecords on ``EVENTS``, QuoteRecords on
    ``QUOTES``, StanceRecords on ``STANCES``.

    The model and dictionaries are loaded once per worker process (``Shared``), not per DoFn
    instance or per Dask partition, and kept for the process's next pipeline with the same settings.
    The time a load took is the run's ``load`` stage (reported with the first group: metrics count
    only inside a bundle); the parse is the ``nlp`` stage, the extraction rules after it ``extract``.
    """
    ARTICLES = "articles"
    ENTITIES = "entities"
    MENTIONS = "mentions"
    EVENTS = "events"
    QUOTES = "quotes"
    STANCES = "stances"
    REJECTED = "rejected"

    def __init__(self, *, model: str, batch_size: int, actor_files=(), agent_files=(), verb_file=None,
                 topics_file=None):
        self.batch_size = batch_size
        self.settings = dict(model=model, actor_files=tuple(actor_files or ()),
                             agent_files=tuple(agent_files or ()), verb_file=verb_file, topics_file=topics_file)
        self.shared = Shared()
        self.worker = None
        self.loading = 0.0

    def setup(self):
        tag = repr(sorted(self.settings.items()))
        took = []   # empty when another instance of this process loaded them

        def load() -> _WorkerResources:
            start = time.perf_counter()
            resources = _loaded(self.settings)
            took.append(time.perf_counter() - start)
            return _WorkerResources(resources)

        self.worker = self.shared.acquire(load, tag=tag)
        self.loading = sum(took)

    def process(self, group):
        _key, articles = group
        self.loading = flush_stage_seconds("load", self.loading)   # metrics count only inside a bundle
        for batch in batches(articles, self.batch_size):
            # Outputs collected first (the times are this step's own), inside a memory zone: the strings a
            # batch adds to the model's vocabulary are dropped after it (no Doc outlives it), so a process
            # that parses for weeks (``newsevents watch``) does not grow with every new word it meets.
            with self.worker.lock, self.worker.resources.nlp.memory_zone():
                outputs = list(self._analyse(batch))
            checkpoint("nlp")
            yield from outputs

    def _analyse(self, batch: List):
        english = [a for a in batch if (a.language or "en") == "en"]
        count("nlp_skipped_language", len(batch) - len(english))
        for article in batch:
            if (article.language or "en") != "en":
                yield routed(self.ARTICLES, article)
        nlp = self.worker.resources.nlp
        long_texts = sum(len(a.text or "") > nlp.max_length for a in english)
        count("nlp_long_texts_in_pieces", long_texts)
        with stage_timer("nlp"):
            try:   # a text over the model's max_length is parsed in pieces (``parse``), one at a time
                docs = None if long_texts else list(nlp.pipe((a.text for a in english), batch_size=self.batch_size))
            except Exception:  # noqa: BLE001 - fall back to one at a time to find the culprit
                docs = None
        for index, article in enumerate(english):
            try:
                if docs is None:
                    with stage_timer("nlp"):
                        doc = parse(nlp, article.text)
                else:
                    doc = docs[index]
                with stage_timer("extract"):
                    outputs = analyse(doc, article, self.worker.resources)
            except Exception as exc:  # noqa: BLE001 - the reason is kept in the reject row
                count_reject("extract", "nlp_error")
                yield routed(self.REJECTED, RejectRecord(
                    input=article.url or article.article_id, stage="extract", reason="nlp_error",
                    detail=f"article {article.article_id}: {type(exc).__name__}: {exc}"))
                continue
            count("nlp_articles")
            count("unresolved_speaker", outputs.unresolved_speakers)
            yield routed(self.ARTICLES, article)
            for entity in outputs.entities:
                yield routed(self.ENTITIES, entity)
            for mention in outputs.mentions:
                yield routed(self.MENTIONS, mention)
            for event in outputs.events:
                yield routed(self.EVENTS, event)
            for quote in outputs.quotes:
                yield routed(self.QUOTES, quote)
            for stance in outputs.stances:
                yield routed(self.STANCES, stance)


def article_key(article) -> str:
    return article.article_id


def article_size(article) -> int:
    """What an article costs the model, about: its characters (none when it is not parsed)."""
    return len(article.text or "") if (article.language or "en") == "en" else 0


class AnalyseArticles(beam.PTransform):
    """Articles -> ``{"articles", "entities", "mentions", "events", "quotes", "stances", "rejected"}`` rows.

    ``groups``: how many groups the articles are spread over (the unit of parallel work).
    """

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE, groups: int = 1,
                 actor_files=(), agent_files=(), verb_file=None, topics_file=None):
        super().__init__()
        self.fn = AnalyseFn(model=model, batch_size=batch_size, actor_files=actor_files,
                            agent_files=agent_files, verb_file=verb_file, topics_file=topics_file)
        self.groups = groups

    def expand(self, articles):
        return (
            articles
            | "Group" >> GroupBySize(article_key, article_size, self.groups)
            | "Analyse" >> beam.ParDo(self.fn)
            | "Route" >> SplitOutputs(AnalyseFn.ARTICLES, AnalyseFn.ENTITIES, AnalyseFn.MENTIONS, AnalyseFn.EVENTS,
                                      AnalyseFn.QUOTES, AnalyseFn.STANCES,
                                      AnalyseFn.REJECTED))
