"""One pyarrow schema per output table, with the record type that matches it.

``TABLES`` maps each table name to its schema; writers look the schema up here
and always pass it, so a table's columns are declared in exactly one place.
"""
from schemas.articles import ARTICLES_SCHEMA, ArticleRecord
from schemas.entities import ENTITIES_SCHEMA, EntityRecord
from schemas.event_summary import EVENT_SUMMARY_SCHEMA, EventSummaryRecord
from schemas.events import EVENTS_SCHEMA, EventRecord
from schemas.mentions import MENTIONS_SCHEMA, MentionRecord
from schemas.quotes import QUOTES_SCHEMA, QuoteRecord
from schemas.rejects import REJECT_REASONS, REJECT_STAGES, REJECTS_SCHEMA, RejectRecord
from schemas.stances import STANCES_SCHEMA, StanceRecord

#: Bumped whenever a column is added, removed or retyped in any table; written into every
#: Parquet file's key-value metadata as ``newsevents.schema_version``.
SCHEMA_VERSION = "7"


def _versioned(name, schema):
    return schema.with_metadata({"newsevents.table": name, "newsevents.schema_version": SCHEMA_VERSION})


TABLES = {name: _versioned(name, schema) for name, schema in {
    "articles": ARTICLES_SCHEMA,
    "entities": ENTITIES_SCHEMA,
    "mentions": MENTIONS_SCHEMA,
    "rejects": REJECTS_SCHEMA,
    "events": EVENTS_SCHEMA,
    "quotes": QUOTES_SCHEMA,
    "stances": STANCES_SCHEMA,
}.items()}

#: Tables derived from the others after a run is published (not written by the pipeline).
DERIVED_TABLES = {"event_summary": _versioned("event_summary", EVENT_SUMMARY_SCHEMA)}

RECORD_TYPES = {
    "articles": ArticleRecord,
    "entities": EntityRecord,
    "mentions": MentionRecord,
    "rejects": RejectRecord,
    "events": EventRecord,
    "quotes": QuoteRecord,
    "stances": StanceRecord,
    "event_summary": EventSummaryRecord,
}

__all__ = [
    "ARTICLES_SCHEMA", "ArticleRecord", "ENTITIES_SCHEMA", "EntityRecord", "EVENTS_SCHEMA",
    "EventRecord", "MENTIONS_SCHEMA", "MentionRecord", "REJECTS_SCHEMA", "RejectRecord", "REJECT_REASONS", "REJECT_STAGES",
    "STANCES_SCHEMA", "StanceRecord", "SCHEMA_VERSION", "TABLES", "RECORD_TYPES", "DERIVED_TABLES",
    "EVENT_SUMMARY_SCHEMA", "EventSummaryRecord", "QUOTES_SCHEMA", "QuoteRecord",
]
