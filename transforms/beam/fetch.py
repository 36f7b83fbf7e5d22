"""Composite transforms that read feeds and fetch article URLs (thin shells over
``transforms.ingest.fetch`` and ``transforms.ingest.feeds``).

Every URL met ends as a parsed article, a known URL skipped (counted), or a ``fetch`` reject.
URLs are spread over as many groups as hold about ``URLS_PER_GROUP`` times the fetch concurrency each
(one group for a short list, so its slow URLs wait together, not one group after another) by a stable
hash of their host, so every URL of one host is in one group, fetched by one worker: the per-host limit
and delay, kept by that worker's :class:`transforms.ingest.fetch.Fetcher`, hold for the whole run however
many workers there are (hashed by URL, a site would get the limit once per worker). In each group,
requests run concurrently in a bounded thread pool.
"""
from __future__ import annotations

import json
import math
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Optional
from urllib.parse import urlsplit

import apache_beam as beam

from schemas import RejectRecord
from schemas.duplicates import PUBLISHED_BEFORE, duplicate_record
from transforms.beam.metrics import count, count_reject, stage_timer
from transforms.beam.routing import SplitOutputs, routed
from transforms.beam.write import WriteLines
from transforms.ingest.feeds import feed_outcome, parse_feed
from transforms.ingest.fetch import FEED_TYPES, Fetcher, FetchError, FetchSettings
from transforms.ingest.readers import InputRejected, decode_bytes, read_html_article
from transforms.lake.shards import shard_of

#: A group of URLs (the unit of parallel fetching across workers) holds about this many times the
#: fetch concurrency.
URLS_PER_GROUP = 4


@dataclass(frozen=True)
class FetchTask:
    url: str
    feed: Optional[str] = None
    title: Optional[str] = None
    published_at: Optional[datetime] = None
    summary: Optional[str] = None


def fetch_reject(url: str, reason: str, detail: str) -> RejectRecord:
    """A ``fetch`` reject; it is one record read (a URL or feed met that gave no article)."""
    count("records_read")
    count_reject("fetch", reason)
    return RejectRecord(input=url, stage="fetch", reason=reason, detail=detail[:500])


class FetchFeedFn(beam.DoFn):
    """feed URL -> ``(TASKS, FetchTask)`` per entry, ``(VALIDATORS, JSON line)``, ``(REJECTED, row)``."""
    TASKS = "tasks"
    VALIDATORS = "validators"
    REJECTED = "rejected"

    def __init__(self, settings: FetchSettings):
        self.settings = settings
        self.fetcher = None

    def setup(self):
        self.fetcher = Fetcher(self.settings)

    def process(self, feed_url, validators):
        etag, modified = validators.get(feed_url, (None, None))
        try:
            result = self.fetcher.fetch(feed_url, accept=FEED_TYPES, etag=etag, last_modified=modified)
        except FetchError as exc:
            yield routed(self.REJECTED, fetch_reject(feed_url, exc.reason, exc.detail))
            return
        if result.not_modified:
            count("feeds_not_modified")
            return
        headers = {name.lower(): value for name, value in result.headers.items()}
        parsed = parse_feed(result.body, feed_url=feed_url, headers=headers)
        outcome, detail = feed_outcome(parsed)
        yield routed(self.VALIDATORS, json.dumps(
            {"url": feed_url, "etag": result.etag, "last_modified": result.last_modified,
             "entries": len(parsed.entries), "problem": parsed.problem}))
        if outcome != "ok":
            yield routed(self.REJECTED, fetch_reject(feed_url, outcome, detail))
            return
        if parsed.problem:
            count("feeds_ill_formed_but_read")
        count("feed_entries", len(parsed.entries) + len(parsed.unusable))
        for link, why in parsed.unusable:   # each entry is a record: one with no link to fetch is a reject
            yield routed(self.REJECTED, fetch_reject(f"{feed_url} entry {link}", "bad_url", why))
        for entry in parsed.entries:
            yield routed(self.TASKS, FetchTask(entry.url, feed_url, entry.title, entry.published_at, entry.summary))


class ReadFeeds(beam.PTransform):
    """Feed URLs -> ``tasks`` (FetchTask), ``validators`` and ``rejected``."""

    def __init__(self, settings: FetchSettings, validators: dict):
        super().__init__()
        self.settings = settings
        self.validators = validators

    def expand(self, feeds):
        known = feeds.pipeline | "FeedValidators" >> beam.Create(sorted(self.validators.items()))
        return (feeds
                | "FetchFeed" >> beam.ParDo(FetchFeedFn(self.settings), validators=beam.pvalue.AsDict(known))
                | "Route" >> SplitOutputs(FetchFeedFn.TASKS, FetchFeedFn.VALIDATORS, FetchFeedFn.REJECTED))


def _first_task(keyed):
    _url, tasks = keyed
    tasks = sorted(tasks, key=lambda t: (t.feed or "", t.title or ""))
    yield routed("tasks", tasks[0])
    for duplicate in tasks[1:]:   # the same URL from two feeds (or a feed and --urls): a duplicate
        count("urls_listed_twice")
        count("records_read")
        count("duplicates")
        yield routed("duplicates", duplicate_record(duplicate.url, None, tasks[0].url, "same URL listed twice"))


def _not_known(task, known):
    if task.url in known:   # met again: a record already published
        count("urls_already_fetched")
        count("records_read")
        count("duplicates_published")
        yield routed("duplicates", duplicate_record(task.url, None, None, PUBLISHED_BEFORE))
        return
    yield routed("tasks", task)


class FetchPagesFn(beam.DoFn):
    """``(group, FetchTasks)`` -> ``(PARSED, ParsedArticle)``, ``(FETCHED, JSON line)``, ``(REJECTED, row)``."""
    PARSED = "parsed"
    FETCHED = "fetched"
    REJECTED = "rejected"

    def __init__(self, settings: FetchSettings, concurrency: int):
        self.settings = settings
        self.concurrency = concurrency
        self.fetcher = self.pool = None

    def setup(self):
        self.fetcher = Fetcher(self.settings)
        self.pool = ThreadPoolExecutor(max_workers=self.concurrency)

    def teardown(self):
        if self.pool:
            self.pool.shutdown(wait=False)

    def _one(self, task: FetchTask):
        """Runs in a pool thread: no Beam calls here (metrics belong to the bundle's thread)."""
        try:
            result = self.fetcher.fetch(task.url)
            html = decode_bytes(result.body, input_name=task.url)
            article = read_html_article(html, input_name=task.url, source="", url=result.url)
        except FetchError as exc:
            return None, (task.url, exc.reason, exc.detail), None
        except InputRejected as exc:
            return None, (task.url, exc.reason, exc.detail), None
        article = replace(article, title=article.title or task.title,
                          published_at=article.published_at or task.published_at,
                          source=article.source or urlsplit(result.url).hostname or "",
                          fetched_url=task.url, final_url=result.url, feed_url=task.feed)
        fetched = json.dumps({"url": task.url, "final_url": result.url, "feed": task.feed})
        return article, None, fetched

    def process(self, group):
        _key, tasks = group
        pending = set()
        for task in tasks:   # a window of requests in flight: a new one starts as soon as one ends
            pending.add(self.pool.submit(self._one, task))
            if len(pending) >= self.concurrency * 2:
                with stage_timer("fetch"):
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from self._outputs(done)
        while pending:
            with stage_timer("fetch"):
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from self._outputs(done)

    def _outputs(self, done):
        for future in done:
            article, rejected, fetched = future.result()
            if rejected is not None:
                yield routed(self.REJECTED, fetch_reject(*rejected))
                continue
            count("pages_fetched")
            count("records_read")
            yield routed(self.FETCHED, fetched)
            yield routed(self.PARSED, article)


def _keyed_by_group(task: FetchTask, total: int, per_group: int):
    """The task with its group: a stable hash of its host (of the URL when it has none)."""
    host = (urlsplit(task.url).hostname or task.url).lower()
    return shard_of(host, max(1, math.ceil(total / per_group))), task


class FetchPages(beam.PTransform):
    """FetchTasks -> ``parsed`` articles, ``fetched`` log lines, ``rejected`` rows and ``duplicates``.

    URLs are deduplicated, and those an earlier run fetched are skipped unless ``refetch``.
    """

    def __init__(self, settings: FetchSettings, *, known_urls, refetch: bool, concurrency: int):
        super().__init__()
        self.settings = settings
        self.known_urls = sorted(known_urls)
        self.refetch = refetch
        self.concurrency = concurrency

    def expand(self, tasks):
        unique = (tasks
                  | "KeyByUrl" >> beam.Map(lambda t: (t.url, t))
                  | "GroupByUrl" >> beam.GroupByKey()
                  | "FirstTask" >> beam.FlatMap(_first_task)
                  | "RouteFirst" >> SplitOutputs("tasks", "duplicates"))
        duplicates = [unique["duplicates"]]
        if not self.refetch:
            known = tasks.pipeline | "KnownUrls" >> beam.Create([(url, True) for url in self.known_urls])
            unique = (unique["tasks"]
                      | "SkipKnown" >> beam.FlatMap(_not_known, known=beam.pvalue.AsDict(known))
                      | "RouteKnown" >> SplitOutputs("tasks", "duplicates"))
            duplicates.append(unique["duplicates"])
        total = unique["tasks"] | "CountTasks" >> beam.combiners.Count.Globally()
        outputs = (unique["tasks"]
                   | "KeyByGroup" >> beam.Map(_keyed_by_group, total=beam.pvalue.AsSingleton(total),
                                              per_group=self.concurrency * URLS_PER_GROUP)
                   | "Group" >> beam.GroupByKey()
                   | "Fetch" >> beam.ParDo(FetchPagesFn(self.settings, self.concurrency))
                   | "Route" >> SplitOutputs(FetchPagesFn.PARSED, FetchPagesFn.FETCHED, FetchPagesFn.REJECTED))
        return {**outputs, "duplicates": tuple(duplicates) | "AllDuplicates" >> beam.Flatten()}


class FetchWeb(beam.PTransform):
    """The run's feeds and URLs -> ``parsed`` articles, ``rejected`` rows, ``duplicates`` and
    ``written`` (the paths of the fetch log, ``<log_dir>/fetched-*`` and ``<log_dir>/feeds-*``).

    Applied to the pipeline itself: ``pipeline | FetchWeb(web, ...)``.
    """

    def __init__(self, web, *, refetch: bool, concurrency: int, log_dir: str):
        super().__init__()
        self.web = web
        self.refetch = refetch
        self.concurrency = concurrency
        self.log_dir = log_dir

    def expand(self, pipeline):
        web = self.web
        feeds = (pipeline | "ListFeeds" >> beam.Create(web.feeds)
                 | "Feeds" >> ReadFeeds(web.settings, web.validators))
        tasks = ((feeds["tasks"], pipeline | "ListUrls" >> beam.Create([FetchTask(u) for u in web.urls]))
                 | "AllTasks" >> beam.Flatten())
        fetched = tasks | "FetchPages" >> FetchPages(web.settings, known_urls=web.known, refetch=self.refetch,
                                                     concurrency=self.concurrency)
        logs = (fetched["fetched"] | "WriteFetchLog" >> WriteLines(f"{self.log_dir}/fetched"),
                feeds["validators"] | "WriteFeedLog" >> WriteLines(f"{self.log_dir}/feeds"))
        return {"parsed": fetched["parsed"],
                "rejected": (feeds["rejected"], fetched["rejected"]) | "AllFetchRejects" >> beam.Flatten(),
                "duplicates": fetched["duplicates"],
                "written": logs | "AllFetchLogs" >> beam.Flatten()}
