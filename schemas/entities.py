"""The ``entities`` table: one row per entity of an article (the roll-up of ``mentions``), and per other name."""
from typing import NamedTuple, Optional

import pyarrow as pa

ENTITIES_SCHEMA = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("label", pa.string(), nullable=False),
    pa.field("mentions", pa.int32(), nullable=False),
    pa.field("first_char", pa.int32(), nullable=False),
    pa.field("article_version", pa.int32(), nullable=False),
    # the who-is-who entity (null for a name of another kind: an event, a law, a work)
    pa.field("entity_key", pa.string()),
    pa.field("entity_type", pa.string()),   # person | organisation | group | place
    pa.field("level", pa.string()),         # of a place: city | county | state | country
    pa.field("actor_code", pa.string()),
    pa.field("names", pa.int32()),           # mentions by kind
    pa.field("nominals", pa.int32()),
    pa.field("pronouns", pa.int32()),
])


class EntityRecord(NamedTuple):
    article_id: str
    name: str
    label: str
    mentions: int
    first_char: int
    article_version: int = 1
    entity_key: Optional[str] = None
    entity_type: Optional[str] = None
    level: Optional[str] = None
    actor_code: Optional[str] = None
    names: Optional[int] = None
    nominals: Optional[int] = None
    pronouns: Optional[int] = None
