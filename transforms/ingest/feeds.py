"""Feeds with feedparser: RSS 0.9x/1.0/2.0, Atom and JSON Feed -> entries to fetch (no Beam)."""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import List, Optional, Tuple
from urllib.parse import urljoin

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
    unusable: List[Tuple[str, str]] = field(default_factory=list)   # (link or title, why) of entries with no http(s) link


def _entry_url(link: Optional[str], feed_url: str) -> Optional[str]:
    """An entry's link as an absolute http(s) URL (a relative link is resolved against the feed)."""
    if not link or not isinstance(link, str):
        return None
    return normalise_url(urljoin(feed_url, link.strip()))


def _published(entry) -> Optional[datetime]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    return None


def _text(value) -> Optional[str]:
    return value if isinstance(value, str) else None


def _json_date(value) -> Optional[datetime]:
    """A JSON Feed ``date_published`` (RFC 3339), or None when absent or not a date."""
    if not isinstance(value, str):
        return None
    try:
        published = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return published if published.tzinfo else published.replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _json_feed(body: bytes) -> Optional[list]:
    """JSON Feed (jsonfeed.org): feedparser 6 does not read it, so the standard library does."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return None
    items = data.get("items", [])
    return items if isinstance(items, list) else [items]


def parse_feed(body: bytes, *, feed_url: str, headers: Optional[dict] = None) -> ParsedFeed:
    """Entries of a feed document; an entry without a usable http(s) link (``file:``, ``mailto:``,
    ``javascript:``, none at all) is listed in ``unusable``, to be rejected; a relative link is resolved.

    Returns:
        the entries, and feedparser's complaint when the feed was ill-formed but readable.
    """
    items = _json_feed(body) if body.lstrip()[:1] in (b"{", b"[") else None
    if items is not None:
        entries, unusable = [], []
        for item in items:
            if not isinstance(item, dict):   # a JSON value where an entry object belongs: still a record
                unusable.append((json.dumps(item)[:300], "not an entry object"))
                continue
            link = item.get("url") or item.get("external_url")
            url = _entry_url(link, feed_url)
            if not url:
                unusable.append((str(link or item.get("title") or item.get("id") or "an entry without a link")[:300],
                                 "no http(s) link"))
            else:
                entries.append(FeedEntry(url, _text(item.get("title")), _json_date(item.get("date_published")),
                                         _text(item.get("summary") or item.get("content_text")), feed_url))
        return ParsedFeed(entries, None, unusable)
    parsed = feedparser.parse(body, response_headers=headers or {})
    problem = None
    if parsed.get("bozo"):
        problem = f"{type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"[:300]
    entries, unusable = [], []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        url = _entry_url(link, feed_url)
        if url:
            entries.append(FeedEntry(url, entry.get("title"), _published(entry), entry.get("summary"), feed_url))
        else:
            unusable.append((str(link or entry.get("title") or "an entry without a link")[:300], "no http(s) link"))
    return ParsedFeed(entries, problem, unusable)


def feed_outcome(parsed: ParsedFeed, raw_entry_count: int = -1) -> Tuple[str, str]:
    """("ok" | "feed_malformed" | "feed_empty", detail) for a parsed feed."""
    if parsed.entries or parsed.unusable:
        return "ok", parsed.problem or ""
    if parsed.problem:
        return "feed_malformed", parsed.problem
    return "feed_empty", "the feed has no entries with a link"
