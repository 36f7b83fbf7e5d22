"""The ``articles`` table: one row per unique, cleaned article."""
from datetime import datetime
from typing import List, NamedTuple, Optional

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")

ARTICLES_SCHEMA = pa.schema([
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("source", pa.string(), nullable=False),
    pa.field("title", pa.string()),
    pa.field("authors", pa.list_(pa.string())),
    pa.field("published_at", UTC_TIMESTAMP),
    pa.field("language", pa.string()),
    pa.field("text", pa.string(), nullable=False),
    pa.field("word_count", pa.int32(), nullable=False),
    pa.field("content_sha256", pa.string(), nullable=False),
    pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("version", pa.int32(), nullable=False),
    # lineage: where the article came from
    pa.field("input_path", pa.string()),
    pa.field("fetched_url", pa.string()),
    pa.field("final_url", pa.string()),
    pa.field("feed_url", pa.string()),
    # wire copies: the story the article belongs to (the id of its first article; its own id when alone)
    pa.field("story_id", pa.string(), nullable=False),
    # the MinHash the next runs compare their articles with (null for a text too short to join a story)
    pa.field("story_signature", pa.list_(pa.uint32())),
])


class ArticleRecord(NamedTuple):
    article_id: str
    url: Optional[str]
    source: str
    title: Optional[str]
    authors: List[str]
    published_at: Optional[datetime]
    language: Optional[str]
    text: str
    word_count: int
    content_sha256: str
    ingested_at: datetime
    run_id: str
    version: int = 1      # 1 for the first content seen under this article_id, then 2, 3...
    input_path: Optional[str] = None    # the local file (path:line for a .jsonl line); None when fetched
    fetched_url: Optional[str] = None   # the URL requested
    final_url: Optional[str] = None     # the URL answered, after redirects
    feed_url: Optional[str] = None      # the feed that listed it
    story_id: Optional[str] = None      # set by the stories step; the article's own id when alone
    story_signature: Optional[List[int]] = None   # MinHash (transforms.ingest.stories); None when too short
