"""Duplicates: one article per content and per id within a run, and none that an earlier run published.

Every input that is not an article of its own leaves a line for the run's duplicates log
(``schemas.duplicates``) and a counter. A run cut into chunks (``transforms.beam.plan``) gives each chunk
the files where the earlier chunks staged what they kept (``kept`` lines), joined with the chunk's articles
by key, so that a copy of an article of an earlier chunk is the same duplicate it would be in one pipeline;
no process holds what the earlier chunks kept as a whole.
"""
from __future__ import annotations

import json
from typing import Sequence, Tuple

import apache_beam as beam

from schemas.duplicates import PUBLISHED_BEFORE, duplicate_record
from transforms.beam.filesystems import RunFilesFn, run_options
from transforms.beam.metrics import count
from transforms.beam.routing import SplitOutputs, routed
from transforms.lake.store import read_text


def keep_first(keyed_groups, *, why: str):
    """From ``(key, {"new": [(input, article), ...], "earlier": [(input, article id), ...]})`` keep the
    smallest new input; the rest are duplicates. When an earlier chunk of the run kept one for ``key``
    (the smallest of ``earlier``: every input of an earlier chunk sorts before this chunk's), all are.

    Yields:
        ``("articles", (input, article))`` for the kept one, then ``("duplicates", {...})`` per other.
    """
    key, groups = keyed_groups
    ordered = sorted(groups["new"], key=lambda pair: pair[0])
    if not ordered:
        # kept by an earlier chunk, and nothing of this chunk's has the key (a bare return: Beam's check for a
        # DoFn that both yields and returns a value reads "return  # ..." as returning one, and warns)
        return
    earlier = min((tuple(kept) for kept in groups["earlier"]), default=None)
    if earlier is not None:
        kept_input, kept_id = earlier
    else:
        kept_input, kept = ordered.pop(0)
        kept_id = kept.article_id
        yield routed("articles", (kept_input, kept))
    for duplicate_input, _article in ordered:
        count("duplicates")
        yield routed("duplicates", duplicate_record(duplicate_input, kept_id, kept_input, why))


def kept_line(pair) -> str:
    """An article kept for its content, as :class:`ReadKeptFn` reads it: ``[content hash, input, article id]``."""
    input_name, article = pair
    return json.dumps([article.content_sha256, input_name, article.article_id])


def kept_entry(line: str) -> Tuple[str, Tuple[str, str]]:
    """A :func:`kept_line` read back: ``(content hash, (input, article id))``."""
    digest, input_name, article_id = json.loads(line)
    return digest, (input_name, article_id)


class ReadKeptFn(RunFilesFn):
    """The path of a file of :func:`kept_line` lines -> :func:`kept_entry` per line."""

    def process(self, path: str):
        for line in read_text(path).splitlines():
            if line:
                yield kept_entry(line)


class DeduplicateArticles(beam.PTransform):
    """Same content (``content_sha256``), then same ``article_id``: one article each, and none that an
    earlier chunk of the run kept (``earlier_kept``: the files of its :func:`kept_line` lines).

    Outputs ``articles`` (ArticleRecord), ``duplicates`` (dicts, also counted) and ``kept`` (a line per
    article kept for its content, for the next chunks).
    """

    def __init__(self, earlier_kept: Sequence[str] = ()):
        super().__init__()
        self.earlier_kept = list(earlier_kept)

    def expand(self, keyed_articles):
        pipeline = keyed_articles.pipeline
        earlier = (pipeline | "EarlierKept" >> beam.Create(self.earlier_kept)
                   | "ReadKept" >> beam.ParDo(ReadKeptFn(run_options(pipeline))))
        by_content = (
            {"new": keyed_articles | "KeyByContent" >> beam.Map(lambda pair: (pair[1].content_sha256, pair)),
             "earlier": earlier}
            | "GroupByContent" >> beam.CoGroupByKey()
            | "KeepFirstContent" >> beam.FlatMap(keep_first, why="same content")
            | "RouteContent" >> SplitOutputs("articles", "duplicates"))
        by_id = (
            {"new": by_content["articles"] | "KeyById" >> beam.Map(lambda pair: (pair[1].article_id, pair)),
             "earlier": earlier | "EarlierById" >> beam.Map(lambda kept: (kept[1][1], kept[1]))}
            | "GroupById" >> beam.CoGroupByKey()
            | "KeepFirstId" >> beam.FlatMap(keep_first, why="same article_id")
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
