"""Feeds with feedparser: RSS 0.9x/1.0/2.0, Atom and JSON Feed -> entries to fetch (no Beam)."""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional, Tuple

import feedparser

from transforms.ingest.readers import normalise_url


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed: the article URL to fetch and what the feed says about it."""
    url: str
    title: Optional[str]
    published_at: Optional[datetime]
    summary: Optional[str]
    feed: str


@dataclass
class ParsedFeed:
    entries: List[FeedEntry]
    problem: Optional[str]     # feedparser's complaint about an ill-formed feed it still read


def _published(entry) -> Optional[datetime]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    return None


def _json_feed(body: bytes) -> Optional[list]:
    """JSON Feed (jsonfeed.org): feedparser 6 does not read it, so the standard library does."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return None
    return [item for item in data.get("items", []) if isinstance(item, dict)]


def parse_feed(body: bytes, *, feed_url: str, headers: Optional[dict] = None) -> ParsedFeed:
    """Entries of a feed document; an entry without a usable http(s) link is left out.

    Returns:
        the entries, and feedparser's complaint when the feed was ill-formed but readable.
    """
    items = _json_feed(body) if body.lstrip()[:1] in (b"{", b"[") else None
    if items is not None:
        entries = []
        for item in items:
            url = normalise_url(item.get("url") or item.get("external_url"))
            if url:
                published = None
                if item.get("date_published"):
                    try:
                        published = datetime.fromisoformat(item["date_published"].replace("Z", "+00:00"))
                    except ValueError:
                        published = None
                entries.append(FeedEntry(url, item.get("title"), published,
                                         item.get("summary") or item.get("content_text"), feed_url))
        return ParsedFeed(entries, None)
    parsed = feedparser.parse(body, response_headers=headers or {})
    problem = None
    if parsed.get("bozo"):
        problem = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"[:300]
    entries = []
    for entry in parsed.entries:
        url = normalise_url(entry.get("link") or entry.get("id"))
        if url:
            entries.append(FeedEntry(url, entry.get("title"), _published(entry), entry.get("summary"), feed_url))
    return ParsedFeed(entries, problem)


def feed_outcome(parsed: ParsedFeed, raw_entry_count: int = -1) -> Tuple[str, str]:
    """("ok" | "feed_malformed" | "feed_empty", detail) for a parsed feed."""
    if parsed.entries:
        return "ok", parsed.problem or ""
    if parsed.problem:
        return "feed_malformed", parsed.problem
    return "feed_empty", "the feed has no entries with a link"
