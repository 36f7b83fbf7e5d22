"""The ``mentions`` table: every mention of a person, organisation, group or place, with the entity it is of."""
from typing import NamedTuple, Optional

import pyarrow as pa

MENTIONS_SCHEMA = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    # the entity: the same key on every row of one entity of one article version, and in the events, quotes
    # and stances rows that name it (actor1_entity, speaker_entity, holder_entity, ...)
    pa.field("entity_key", pa.string(), nullable=False),
    pa.field("char_start", pa.int32(), nullable=False),
    pa.field("char_end", pa.int32(), nullable=False),
    pa.field("text", pa.string(), nullable=False),
    pa.field("mention_type", pa.string(), nullable=False),    # name | nominal | pronoun
    pa.field("entity_type", pa.string(), nullable=False),     # person | organisation | group | place
    pa.field("canonical_name", pa.string(), nullable=False),
    pa.field("actor_code", pa.string()),
    pa.field("sentence_index", pa.int32(), nullable=False),
    pa.field("article_version", pa.int32(), nullable=False),
])


class MentionRecord(NamedTuple):
    article_id: str
    entity_key: str
    char_start: int
    char_end: int
    text: str
    mention_type: str
    entity_type: str
    canonical_name: str
    actor_code: Optional[str]
    sentence_index: int
    article_version: int = 1
