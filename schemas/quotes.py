"""The ``quotes`` table: who said (or reported, argued, believed) what, direct or reported."""
from typing import NamedTuple, Optional

import pyarrow as pa

QUOTES_SCHEMA = pa.schema([
    pa.field("quote_id", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("content", pa.string(), nullable=False),
    pa.field("speaker", pa.string(), nullable=False),
    pa.field("speaker_code", pa.string()),
    pa.field("speaker_char_start", pa.int32()),
    pa.field("speaker_char_end", pa.int32()),
    pa.field("cue", pa.string()),
    pa.field("is_direct", pa.bool_(), nullable=False),
    pa.field("confidence", pa.float32(), nullable=False),
    pa.field("article_version", pa.int32(), nullable=False),
    # how charged the words are, in [-1, 1] (VADER's compound score; 0 is neutral)
    pa.field("tone", pa.float32()),
    # the who-is-who entity of the speaker (``mentions.entity_key``)
    pa.field("speaker_entity", pa.string()),
])


class QuoteRecord(NamedTuple):
    quote_id: str
    article_id: str
    sentence_index: int
    char_start: int
    char_end: int
    content: str
    speaker: str
    speaker_code: Optional[str]
    speaker_char_start: Optional[int]
    speaker_char_end: Optional[int]
    cue: Optional[str]
    is_direct: bool
    confidence: float
    article_version: int = 1
    tone: Optional[float] = None
    speaker_entity: Optional[str] = None
