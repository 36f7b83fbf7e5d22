"""The ``event_summary`` table: GDELT-style roll-up of events per dyad, code and day."""
from datetime import date, datetime
from typing import NamedTuple, Optional

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")

EVENT_SUMMARY_SCHEMA = pa.schema([
    pa.field("actor1_code", pa.string()),
    pa.field("actor2_code", pa.string()),
    pa.field("cameo_code", pa.string(), nullable=False),
    pa.field("event_day", pa.date32(), nullable=False),
    pa.field("day_basis", pa.string(), nullable=False),
    pa.field("num_mentions", pa.int64(), nullable=False),
    pa.field("num_articles", pa.int64(), nullable=False),
    pa.field("num_sources", pa.int64(), nullable=False),
    pa.field("num_stories", pa.int64(), nullable=False),
    pa.field("first_seen", UTC_TIMESTAMP, nullable=False),
    pa.field("last_seen", UTC_TIMESTAMP, nullable=False),
    pa.field("avg_confidence", pa.float64(), nullable=False),
    pa.field("example_event_id", pa.string(), nullable=False),
    pa.field("example_sentence", pa.string(), nullable=False),
])


class EventSummaryRecord(NamedTuple):
    actor1_code: Optional[str]
    actor2_code: Optional[str]
    cameo_code: str
    event_day: date
    day_basis: str
    num_mentions: int
    num_articles: int
    num_sources: int
    num_stories: int
    first_seen: datetime
    last_seen: datetime
    avg_confidence: float
    example_event_id: str
    example_sentence: str
