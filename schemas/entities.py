"""The ``entities`` table: named entities per article, canonical within the article."""
from typing import NamedTuple

import pyarrow as pa

ENTITIES_SCHEMA = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("label", pa.string(), nullable=False),
    pa.field("mentions", pa.int32(), nullable=False),
    pa.field("first_char", pa.int32(), nullable=False),    pa.field("article_version", pa.int32(), nullable=False),
])


class EntityRecord(NamedTuple):
    article_id: str
    name: str
    label: str
    mentions: int
    first_char: int
    article_version: int = 1
