"""The ``events`` table: sentence-level, CAMEO-coded dyadic events with their evidence."""
from datetime import date
from typing import NamedTuple, Optional

import pyarrow as pa

EVENTS_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("sentence", pa.string(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("actor1", pa.string(), nullable=False),
    pa.field("actor1_code", pa.string()),
    pa.field("actor2", pa.string()),
    pa.field("actor2_code", pa.string()),
    pa.field("cameo_code", pa.string(), nullable=False),
    pa.field("cameo_root", pa.string(), nullable=False),
    pa.field("plover_category", pa.string()),
    pa.field("quad_class", pa.int8()),
    pa.field("goldstein", pa.float32()),
    pa.field("trigger", pa.string()),
    pa.field("modality", pa.string(), nullable=False),
    pa.field("event_date", pa.date32()),
    pa.field("confidence", pa.float32(), nullable=False),
    pa.field("article_version", pa.int32(), nullable=False),
    # the who-is-who entities of the two actors (``mentions.entity_key``)
    pa.field("actor1_entity", pa.string()),
    pa.field("actor2_entity", pa.string()),
])

MODALITIES = frozenset({"asserted", "reported", "intended", "hypothetical", "negated"})


class EventRecord(NamedTuple):
    event_id: str
    article_id: str
    sentence_index: int
    sentence: str
    char_start: int
    char_end: int
    actor1: str
    actor1_code: Optional[str]
    actor2: Optional[str]
    actor2_code: Optional[str]
    cameo_code: str
    cameo_root: str
    plover_category: Optional[str]
    quad_class: Optional[int]
    goldstein: Optional[float]
    trigger: Optional[str]
    modality: str
    event_date: Optional[date]
    confidence: float
    article_version: int = 1
    actor1_entity: Optional[str] = None
    actor2_entity: Optional[str] = None
