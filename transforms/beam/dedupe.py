"""Duplicates: one article per content and per id within a run, and none that an earlier run published.

Every input that is not an article of its own leaves a line for the run's duplicates log
(``schemas.duplicates``) and a counter.
"""
from __future__ import annotations

import apache_beam as beam

from schemas.duplicates import PUBLISHED_BEFORE, duplicate_record
from transforms.beam.metrics import count
from transforms.beam.routing import SplitOutputs, routed


def keep_first(keyed_group, *, why: str):
    """From ``(key, [(input, article), ...])`` keep the smallest input; the rest are duplicates.

    Yields:
        ``("articles", (input, article))`` for the kept one, then ``("duplicates", {...})`` per other.
    """
    _key, group = keyed_group
    ordered = sorted(group, key=lambda pair: pair[0])
    kept_input, kept = ordered[0]
    yield routed("articles", (kept_input, kept))
    for duplicate_input, _article in ordered[1:]:
        count("duplicates")
        yield routed("duplicates", duplicate_record(duplicate_input, kept.article_id, kept_input, why))


class DeduplicateArticles(beam.PTransform):
    """Same content (``content_sha256``), then same ``article_id``: one article each.

    Outputs ``articles`` (ArticleRecord) and ``duplicates`` (dicts, also counted).
    """

    def expand(self, keyed_articles):
        by_content = (
            keyed_articles
            | "KeyByContent" >> beam.Map(lambda pair: (pair[1].content_sha256, pair))
            | "GroupByContent" >> beam.GroupByKey()
            | "KeepFirstContent" >> beam.FlatMap(keep_first, why="same content")
            | "RouteContent" >> SplitOutputs("articles", "duplicates"))
        by_id = (
            by_content["articles"]
            | "KeyById" >> beam.Map(lambda pair: (pair[1].article_id, pair))
            | "GroupById" >> beam.GroupByKey()
            | "KeepFirstId" >> beam.FlatMap(keep_first, why="same article_id")
            | "RouteId" >> SplitOutputs("articles", "duplicates"))
        articles = by_id["articles"] | "DropInput" >> beam.Map(lambda pair: pair[1])
        duplicates = ((by_content["duplicates"], by_id["duplicates"])
                      | "AllDuplicates" >> beam.Flatten())
        return {"articles": articles, "duplicates": duplicates}


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
