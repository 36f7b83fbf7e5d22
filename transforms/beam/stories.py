"""Wire copies linked into stories inside the pipeline: LSH band keys -> GroupByKey -> edges -> one forest.

Every new article is signed (``transforms.ingest.stories``) before the NLP step and linked after it, among
the articles that reach the table; its 32 band keys meet
those of the other new articles and of the articles earlier runs published within the story window
(their signatures come from the lake's ``articles.story_signature``; they travel without it, as a side
input, so a window of many days costs one copy per worker rather than one per band). Each bucket yields
the edges between copies; all the edges meet in one place (there are few: at most one fewer than the
copies) and a union-find gives every linked article its story: the story of a published copy, or else
the id of the first new copy. An article that links to nothing is its own story.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Tuple

import apache_beam as beam
import numpy as np

from transforms.beam.metrics import count, stage_timer
from transforms.ingest.stories import (as_signature, band_keys, bucket_edges, new_order, published_order, resolve,
                                       signature)


def sign(article):
    """The article with its MinHash signature (None for a text too short to join a story)."""
    with stage_timer("stories"):
        sig = signature(article.text or "")
    return article._replace(story_signature=None if sig is None else sig.astype(np.uint32).tolist())


def _new_entries(article):
    if article.story_signature is None:
        return
    sig = as_signature(article.story_signature)
    member = (("new", article.article_id), new_order(article), None, sig.tobytes())
    for key in band_keys(sig, article.language):
        yield key, member


def published_member(row) -> Tuple:
    """A published article's row (``transforms.lake.staging.published_signatures``) as a member:
    ``(node, order, story_id, language, signature bytes)``."""
    article_id, version, ingested_at, language, story_id, sig = row
    return ("published", article_id, version), published_order(ingested_at, article_id), story_id, language, sig


def _published_entries(published):
    node, order, story_id, language, sig = published
    for key in band_keys(as_signature(sig), language):
        yield key, (node, order, story_id, None)


def _bucket(keyed, *, published_signatures: Dict):
    _key, members = keyed
    members = list(members)
    if len(members) < 2:
        return
    with stage_timer("stories"):   # edges collected first: the time is this step's own
        edges = list(bucket_edges(
            (node, order, story, as_signature(sig if sig is not None else published_signatures[node]))
            for node, order, story, sig in members))
    yield from edges


def _links(keyed) -> Iterable[Tuple[str, str]]:
    _key, edges = keyed
    with stage_timer("stories"):
        links = resolve(edges)
    count("story_links", len(links))
    yield from sorted(links.items())


def with_story(article, links: Dict[str, str]):
    return article._replace(story_id=links.get(article.article_id, article.article_id))


class LinkStories(beam.PTransform):
    """Signed articles -> ``(article_id, story_id)`` for each new article that joined another's story.

    ``published``: the rows of ``transforms.lake.staging.published_signatures``, the articles earlier runs
    published within the window.
    """

    def __init__(self, published: List[Tuple]):
        super().__init__()
        self.published = [published_member(row) for row in published]

    def expand(self, articles):
        published = articles.pipeline | "PublishedSignatures" >> beam.Create(self.published)
        signatures = beam.pvalue.AsDict(published | "ByNode" >> beam.Map(lambda item: (item[0], item[4])))
        return (
            (articles | "NewBandKeys" >> beam.FlatMap(_new_entries),
             published | "PublishedBandKeys" >> beam.FlatMap(_published_entries))
            | "AllBandKeys" >> beam.Flatten()
            | "GroupByBand" >> beam.GroupByKey()
            | "Copies" >> beam.FlatMap(_bucket, published_signatures=signatures)
            | "OneForest" >> beam.Map(lambda edge: (0, edge))
            | "AllEdges" >> beam.GroupByKey()
            | "Stories" >> beam.FlatMap(_links))


class WithStories(beam.PTransform):
    """Analysed articles (signed by :func:`sign` before the NLP step) -> the same articles with their
    ``story_id``, linked among themselves and with the ``published`` signatures of the window (see
    :class:`LinkStories`). Only articles that reach the table take part, so a story is never named after an
    article whose analysis failed (a reject)."""

    def __init__(self, published: List[Tuple]):
        super().__init__()
        self.published = published

    def expand(self, articles):
        links = articles | "Link" >> LinkStories(self.published)
        return articles | "StoryIds" >> beam.Map(with_story, links=beam.pvalue.AsDict(links))
