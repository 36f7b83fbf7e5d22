"""One pyarrow schema per output table, with the record type that matches it.

``TABLES`` maps each table name to its schema; writers look the schema up here
and always pass it, so a table's columns are declared in exactly one place.
"""
from schemas.articles import ARTICLES_SCHEMA, ArticleRecord
from schemas.entities import ENTITIES_SCHEMA, EntityRecord
from schemas.events import EVENTS_SCHEMA, EventRecord
from schemas.rejects import REJECT_REASONS, REJECT_STAGES, REJECTS_SCHEMA, RejectRecord
from schemas.stances import STANCES_SCHEMA, StanceRecord

#: Bumped whenever a column is added, removed or retyped in any table.
SCHEMA_VERSION = "1"

TABLES = {
    "articles": ARTICLES_SCHEMA,
    "entities": ENTITIES_SCHEMA,
    "rejects": REJECTS_SCHEMA,
    "events": EVENTS_SCHEMA,
    "stances": STANCES_SCHEMA,
}

RECORD_TYPES = {
    "articles": ArticleRecord,
    "entities": EntityRecord,
    "rejects": RejectRecord,
    "events": EventRecord,
    "stances": StanceRecord,
}

__all__ = [
    "ARTICLES_SCHEMA", "ArticleRecord", "ENTITIES_SCHEMA", "EntityRecord", "EVENTS_SCHEMA",
    "EventRecord", "REJECTS_SCHEMA", "RejectRecord", "REJECT_REASONS", "REJECT_STAGES",
    "STANCES_SCHEMA", "StanceRecord", "SCHEMA_VERSION", "TABLES", "RECORD_TYPES",
]
