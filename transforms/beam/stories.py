"""Wire copies linked into stories inside the pipeline: members -> one list -> one forest.

Every new article is signed (``transforms.ingest.stories``) before the NLP step and linked after it, among
the articles that reach the table and the articles earlier runs published within the story window (their
signatures come from the lake's ``articles.story_signature``). Each becomes a member (id, order, language,
signature: some 700 bytes), all the members meet in one list, and one call
(:func:`transforms.ingest.stories.link`) buckets them by LSH band, finds the copies in each bucket and
gives every linked article its story in a union-find: the story of a published copy, or else the id of
the first new copy. An article that links to nothing is its own story. The result, one dict of the
articles that joined another's story, reaches the articles as a side input.

A run cut into chunks (``transforms.beam.plan``) cannot link a chunk's articles to those of a later one, and
a story is named after its first copy in the whole run: its chunks write every article as its own story, and
:func:`link_staged_stories`, plain calls once the chunks are done, links all the articles the run staged
(their ids, publication times, languages and signatures, read from the staged files) and rewrites the files
whose articles joined another's story. The links are those one pipeline would have made.
"""
from __future__ import annotations

import time
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from transforms.beam.metrics import count, stage_timer
from transforms.ingest.stories import as_signature, link, new_order, published_order, signature
from transforms.lake.shards import write_table_shard


def sign(article):
    """The article with its MinHash signature (None for a text too short to join a story)."""
    with stage_timer("stories"):
        sig = signature(article.text or "")
    return article._replace(story_signature=None if sig is None else sig.astype(np.uint32).tolist())


def new_members(article) -> Iterable[Tuple]:
    """A signed article as a member of :func:`transforms.ingest.stories.link` (none without a signature)."""
    if article.story_signature is not None:
        yield (("new", article.article_id), new_order(article), None, article.language,
               as_signature(article.story_signature).tobytes())


def published_member(row) -> Tuple:
    """A published article's row (``transforms.lake.staging.published_signatures``) as a member:
    ``(node, order, story_id, language, signature bytes)``."""
    article_id, version, ingested_at, language, story_id, sig = row
    return ("published", article_id, version), published_order(ingested_at, article_id), story_id, language, \
        as_signature(sig).tobytes()


def _links(members: List[Tuple]) -> Dict[str, str]:
    with stage_timer("stories"):
        links = link(members)
    count("story_links", len(links))
    return links


def with_story(article, links: Dict[str, str]):
    return article._replace(story_id=links.get(article.article_id, article.article_id))


class LinkStories(beam.PTransform):
    """Signed articles -> one dict, ``{article_id: story_id}`` for each new article that joined another's story.

    ``published``: the rows of ``transforms.lake.staging.published_signatures``, the articles earlier runs
    published within the window. All the members meet in one list (some 700 bytes each: a signature, an id
    and an order), linked by one call: grouping every band key instead (32 per article) made the runner
    hold some 80 KiB per article between the steps (``bench/bench_story_pass.py``).
    """

    def __init__(self, published: List[Tuple]):
        super().__init__()
        self.published = [published_member(row) for row in published]

    def expand(self, articles):
        published = articles.pipeline | "PublishedMembers" >> beam.Create(self.published)
        return ((articles | "NewMembers" >> beam.FlatMap(new_members), published)
                | "AllMembers" >> beam.Flatten()
                | "OneList" >> beam.combiners.ToList()
                | "Link" >> beam.Map(_links))


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
        return articles | "StoryIds" >> beam.Map(with_story, links=beam.pvalue.AsSingleton(links))


class StagedArticle(NamedTuple):
    """What linking needs of a staged article (the fields :func:`new_members` and ``new_order`` read)."""
    article_id: str
    published_at: object
    language: Optional[str]
    story_signature: Optional[List[int]]


def staged_members(path: str) -> Iterator[Tuple]:
    """A staged articles file's rows as members of :func:`transforms.ingest.stories.link` (none for a row
    without a signature)."""
    with FileSystems.open(path) as handle:
        table = pq.read_table(handle, columns=list(StagedArticle._fields))
    for fields in zip(*(table.column(name).to_pylist() for name in StagedArticle._fields)):
        yield from new_members(StagedArticle(*fields))


def relink_file(path: str, links: Dict[str, str]) -> bool:
    """Rewrite a staged articles file with each article's story, if one of them joined another's; whether
    it did."""
    with FileSystems.open(path) as handle:
        table = pq.read_table(handle)
    stories = [links.get(article_id, article_id) for article_id in table.column("article_id").to_pylist()]
    if stories == table.column("story_id").to_pylist():
        return False
    column = table.schema.get_field_index("story_id")
    write_table_shard(table.set_column(column, table.schema.field(column), pa.array(stories, pa.string())), path)
    return True


def link_staged_stories(files: List[str], published: List[Tuple]) -> dict:
    """The staged articles ``files`` of a run cut into chunks, rewritten with every article's story as
    :class:`WithStories` would have given it in one pipeline (``published``: as for :class:`LinkStories`);
    the counters a pipeline would have given (``story_links`` and the ``stories`` stage's seconds).

    Plain calls in the launcher, not a pipeline: the members are some 700 bytes each (50,000 articles took
    the process from 242 to 346 MiB), where a pipeline doing the same grew its launcher by some 400 MiB
    and its workers by as much again (``bench/bench_story_pass.py``). Each file is read twice: its ids and
    signatures, then the whole of it, rewritten only if an article in it joined another's story.
    """
    members = [published_member(row) for row in published]
    for path in files:
        members.extend(staged_members(path))
    started = time.perf_counter()
    links = link(members)
    seconds = time.perf_counter() - started
    del members
    for path in files:
        relink_file(path, links)
    return {"story_links": len(links), "stage_seconds": {"stories": round(seconds, 2)}}
