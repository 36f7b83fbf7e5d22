"""What is new since the last published run, found without a pipeline (no Beam): what lets a watcher's tick
with nothing new cost a second, not a pipeline's start.

Local and object-store files are new when their size or time differs from what the state store recorded;
URLs when no run fetched them; a feed when a conditional GET brings a changed body listing an entry no run
fetched. The tick that follows reads the same things again, through the pipeline, and decides for itself:
a poll that says "new" only starts it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from transforms.ingest.feeds import parse_feed
from transforms.ingest.fetch import FEED_TYPES, FetchError, Fetcher
from transforms.ingest.readers import normalise_url

#: ``(key, size, mtime_ns)`` of an input file, or None (``transforms.lake.run.file_stamp``).
Stamp = Optional[Tuple[str, int, int]]


@dataclass
class News:
    """What a poll found: new or changed files, URLs not fetched, new feed entries, and the feeds' answers."""
    files: int = 0
    urls: int = 0
    entries: int = 0
    feeds_not_modified: int = 0
    feeds_unchanged: int = 0   # a changed body (or no validators) listing only entries fetched before
    feeds_failed: List[str] = field(default_factory=list)   # "url: reason"

    def __bool__(self) -> bool:
        return bool(self.files or self.urls or self.entries)

    def describe(self) -> str:
        """What is new, and what the feeds said, in a few words ("" when there is nothing to say)."""
        parts = [f"{count} {what}" for count, what in ((self.files, "new or changed files"), (self.urls, "new URLs"),
                                                      (self.entries, "new feed entries")) if count]
        quiet = self.feeds_not_modified + self.feeds_unchanged
        if quiet:
            parts.append(f"{quiet} feeds with nothing new")
        if self.feeds_failed:
            parts.append(f"{len(self.feeds_failed)} feeds failed: {'; '.join(self.feeds_failed)[:300]}")
        return ", ".join(parts)


def new_files(paths: Iterable[str], known: Dict[str, Tuple[int, int, str]], stamp: Callable[[str], Stamp]) -> int:
    """How many of ``paths`` the state store ``known`` (``{key: (size, mtime_ns, sha256)}``) does not have
    with their present size and time; one that cannot be stamped counts as new (the run says what it is)."""
    count = 0
    for path in paths:
        found = stamp(path)
        count += found is None or known.get(found[0], (None, None))[:2] != found[1:]
    return count


def poll_feed(fetcher: Fetcher, url: str, validators: Tuple[Optional[str], Optional[str]],
              known: Set[str]) -> Tuple[str, int]:
    """``(outcome, new entries)`` of one feed: a conditional GET with its ETag and Last-Modified;
    outcome ``not_modified``, ``changed`` or the fetch's reason for failing."""
    etag, modified = validators
    try:
        result = fetcher.fetch(url, accept=FEED_TYPES, etag=etag, last_modified=modified)
    except FetchError as exc:
        return exc.reason, 0
    if result.not_modified:
        return "not_modified", 0
    headers = {name.lower(): value for name, value in result.headers.items()}
    parsed = parse_feed(result.body, feed_url=url, headers=headers)
    return "changed", sum(entry.url not in known for entry in parsed.entries)


def poll(*, paths: Iterable[str], known_files: Dict[str, Tuple[int, int, str]], stamp: Callable[[str], Stamp],
         urls: Iterable[str], feeds: Iterable[str], known_urls: Set[str],
         validators: Dict[str, Tuple[Optional[str], Optional[str]]], fetcher: Optional[Fetcher]) -> News:
    """What is new among the inputs of a run (see the module's docstring)."""
    # a line of --urls that is no http(s) URL is a reject of the run that meets it, not news at every tick
    news = News(files=new_files(paths, known_files, stamp),
                urls=sum(bool(normalise_url(url)) and url not in known_urls for url in urls))
    for feed in feeds:
        outcome, entries = poll_feed(fetcher, feed, validators.get(feed, (None, None)), known_urls)
        news.entries += entries
        if outcome == "not_modified":
            news.feeds_not_modified += 1
        elif outcome == "changed":
            news.feeds_unchanged += entries == 0
        else:
            news.feeds_failed.append(f"{feed}: {outcome}")
    return news
