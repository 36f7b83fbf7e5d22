"""The ``stances`` table: who supports or opposes what, with the words that show it."""
from typing import NamedTuple, Optional

import pyarrow as pa

STANCES_SCHEMA = pa.schema([
    pa.field("stance_id", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("holder", pa.string(), nullable=False),
    pa.field("holder_code", pa.string()),
    pa.field("target", pa.string()),
    pa.field("topic", pa.string()),
    pa.field("polarity", pa.string(), nullable=False),
    pa.field("evidence", pa.string(), nullable=False),
    pa.field("is_direct_quote", pa.bool_(), nullable=False),
    pa.field("cue", pa.string()),
    pa.field("confidence", pa.float32(), nullable=False),
    pa.field("quote_id", pa.string()),
    pa.field("article_version", pa.int32(), nullable=False),
    # how charged the words are, in [-1, 1] (VADER's compound score; 0 is neutral)
    pa.field("tone", pa.float32()),
    # the who-is-who entities of the holder and, when it is one, the target (``mentions.entity_key``)
    pa.field("holder_entity", pa.string()),
    pa.field("target_entity", pa.string()),
])

POLARITIES = frozenset({"support", "oppose"})


class StanceRecord(NamedTuple):
    stance_id: str
    article_id: str
    sentence_index: int
    char_start: int
    char_end: int
    holder: str
    holder_code: Optional[str]
    target: Optional[str]
    topic: Optional[str]
    polarity: str
    evidence: str
    is_direct_quote: bool
    cue: Optional[str]
    confidence: float
    quote_id: Optional[str] = None
    article_version: int = 1
    tone: Optional[float] = None
    holder_entity: Optional[str] = None
    target_entity: Optional[str] = None
