"""Duplicates: one article per content and per id within a run, and none that an earlier run published.

Every input that is not an article of its own leaves a line for the run's duplicates log
(``schemas.duplicates``) and a counter. A run cut into chunks (``transforms.beam.plan``) gives each chunk
what the earlier chunks kept (:class:`SeenInRun`), so that a copy of an article of an earlier chunk is the
same duplicate it would be in one pipeline.
"""
from __future__ import annotations

import json
from typing import Dict, Iterable, NamedTuple, Optional, Tuple

import apache_beam as beam

from schemas.duplicates import PUBLISHED_BEFORE, duplicate_record
from transforms.beam.metrics import count
from transforms.beam.routing import SplitOutputs, routed


class SeenInRun(NamedTuple):
    """What the earlier chunks of a run kept: content hash -> ``(input, article_id)`` of the article kept
    for that content, and article id -> ``(input, article_id)`` of the one kept for that id."""
    contents: Dict[str, Tuple[str, str]]
    ids: Dict[str, Tuple[str, str]]

    @classmethod
    def empty(cls) -> "SeenInRun":
        return cls({}, {})

    def add(self, lines: Iterable[str]) -> None:
        """Remember a chunk's kept contents: lines of ``[content hash, input, article id]`` (one chunk's
        inputs all sort after those of the chunks before it, so what is known already stays kept)."""
        ids: Dict[str, Tuple[str, str]] = {}
        for line in lines:
            digest, input_name, article_id = json.loads(line)
            self.contents.setdefault(digest, (input_name, article_id))
            ids[article_id] = min(ids.get(article_id, (input_name, article_id)), (input_name, article_id))
        for article_id, kept in ids.items():
            self.ids.setdefault(article_id, kept)


def keep_first(keyed_group, *, why: str, earlier: Dict[str, Tuple[str, str]]):
    """From ``(key, [(input, article), ...])`` keep the smallest input; the rest are duplicates. When an
    earlier chunk of the run kept one for ``key`` (``earlier``: key -> (input, article id)), all are.

    Yields:
        ``("articles", (input, article))`` for the kept one, then ``("duplicates", {...})`` per other.
    """
    key, group = keyed_group
    ordered = sorted(group, key=lambda pair: pair[0])
    if key in earlier:
        kept_input, kept_id = earlier[key]
    else:
        kept_input, kept = ordered.pop(0)
        kept_id = kept.article_id
        yield routed("articles", (kept_input, kept))
    for duplicate_input, _article in ordered:
        count("duplicates")
        yield routed("duplicates", duplicate_record(duplicate_input, kept_id, kept_input, why))


def kept_line(pair) -> str:
    """An article kept for its content, as :meth:`SeenInRun.add` reads it."""
    input_name, article = pair
    return json.dumps([article.content_sha256, input_name, article.article_id])


class DeduplicateArticles(beam.PTransform):
    """Same content (``content_sha256``), then same ``article_id``: one article each, and none that an
    earlier chunk of the run kept (``seen``).

    Outputs ``articles`` (ArticleRecord), ``duplicates`` (dicts, also counted) and ``kept`` (a line per
    article kept for its content, for :meth:`SeenInRun.add` before the next chunk).
    """

    def __init__(self, seen: Optional[SeenInRun] = None):
        super().__init__()
        self.seen = seen or SeenInRun.empty()

    def expand(self, keyed_articles):
        pipeline = keyed_articles.pipeline
        contents = beam.pvalue.AsDict(pipeline | "SeenContents" >> beam.Create(sorted(self.seen.contents.items())))
        ids = beam.pvalue.AsDict(pipeline | "SeenIds" >> beam.Create(sorted(self.seen.ids.items())))
        by_content = (
            keyed_articles
            | "KeyByContent" >> beam.Map(lambda pair: (pair[1].content_sha256, pair))
            | "GroupByContent" >> beam.GroupByKey()
            | "KeepFirstContent" >> beam.FlatMap(keep_first, why="same content", earlier=contents)
            | "RouteContent" >> SplitOutputs("articles", "duplicates"))
        by_id = (
            by_content["articles"]
            | "KeyById" >> beam.Map(lambda pair: (pair[1].article_id, pair))
            | "GroupById" >> beam.GroupByKey()
            | "KeepFirstId" >> beam.FlatMap(keep_first, why="same article_id", earlier=ids)
            | "RouteId" >> SplitOutputs("articles", "duplicates"))
        articles = by_id["articles"] | "DropInput" >> beam.Map(lambda pair: pair[1])
        duplicates = ((by_content["duplicates"], by_id["duplicates"])
                      | "AllDuplicates" >> beam.Flatten())
        kept = by_content["articles"] | "KeptLines" >> beam.Map(kept_line)
        return {"articles": articles, "duplicates": duplicates, "kept": kept}


def version_against_published(article, known):
    """An article already published with the same content is a duplicate; a changed one is numbered.

    ``known`` is ``{article_id: (highest version, [content hashes])}`` of earlier runs.
    """
    best, digests = known.get(article.article_id, (0, []))
    if article.content_sha256 in digests:
        count("duplicates_published")
        yield routed("duplicates", duplicate_record(article.url or article.article_id, article.article_id, None,
                                                    PUBLISHED_BEFORE))
        return
    yield routed("articles", article._replace(version=best + 1))


class ExcludePublished(beam.PTransform):
    """Articles -> ``articles`` earlier runs have not published, each with its version number, and
    ``duplicates`` for the others."""

    def __init__(self, known_articles):
        super().__init__()
        self.known_articles = known_articles

    def expand(self, articles):
        known = (articles.pipeline | "KnownArticles" >> beam.Create(sorted(self.known_articles.items())))
        return (articles
                | "Version" >> beam.FlatMap(version_against_published, known=beam.pvalue.AsDict(known))
                | "Route" >> SplitOutputs("articles", "duplicates"))
