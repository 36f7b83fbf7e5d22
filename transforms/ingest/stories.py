"""Near-duplicate articles: wire copies and reposts linked into stories by MinHash (no Beam).

An agency story republished with its own headline, a paragraph cut or added, typographic quotes swapped
or boilerplate lines around it is still one story. Each cleaned text becomes a set of word 5-shingles
(case-folded, quotes and dashes normalised); a MinHash signature of 128 permutations (``datasketch``,
MIT) estimates the Jaccard similarity of two sets, and LSH bands (32 bands of 4 rows) make the texts
likely to be that similar meet under a common key, so that only candidates are compared. Two articles
are copies when their estimated Jaccard is at least :data:`THRESHOLD`: 0.5, measured on 376 copies of
76 real articles (a new headline and boilerplate lines, a paragraph cut or added from another article,
quotes swapped, all at once) against 210 pairs of different articles on the same topic from the same week
(``tests/ingest/test_stories.py``): at 0.8, a copy with a paragraph added (estimated Jaccard down to 0.45)
or cut (0.70) would be missed, while different articles on one topic stay under 0.05.

A text with fewer than :data:`MIN_SHINGLES` distinct shingles gets no signature and never joins a story:
short texts and texts of boilerplate share too much with everything. Band keys carry the language, so
texts in different languages never meet.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
from datasketch import MinHash

#: Words per shingle.
SHINGLE_WORDS = 5
#: MinHash permutations, and how they are cut into LSH bands (bands × rows = permutations).
PERMUTATIONS, BANDS, ROWS = 128, 32, 4
#: The estimated Jaccard similarity of shingle sets above which two texts are one story.
THRESHOLD = 0.5
#: Fewer distinct shingles than this: no signature, never part of another article's story.
MIN_SHINGLES = 40
SEED = 1
#: How many days back (by ingest date) a new article looks for a published copy, unless a flag says otherwise.
DEFAULT_WINDOW_DAYS = 7

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                         "–": "-", "—": "-", "\u00a0": " "})
_WORD = re.compile(r"\w+(?:'\w+)?")


def shingles(text: str) -> set:
    """The word ``SHINGLE_WORDS``-grams of ``text``, case-folded, with typographic quotes and dashes made plain."""
    words = _WORD.findall(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold())
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(0, len(words) - SHINGLE_WORDS + 1))}


def signature(text: str) -> Optional[np.ndarray]:
    """The MinHash signature of ``text``'s shingles, or None for a text too short to join a story."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
    return minhash.hashvalues.copy()


def band_key(sig: np.ndarray, language: Optional[str], band: int) -> str:
    """The key of one LSH band: texts in one language whose signatures agree on every row of the band share it."""
    rows = sig[band * ROWS:(band + 1) * ROWS].tobytes()
    return (language or "und") + ":" + str(band) + ":" + hashlib.sha1(rows).hexdigest()[:16]


def band_keys(sig: np.ndarray, language: Optional[str]) -> List[str]:
    """One key per LSH band (:func:`band_key`)."""
    return [band_key(sig, language, band) for band in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


class Forest:
    """Union-find over nodes that each carry an order: a tree's root is its first node by order."""

    def __init__(self):
        self.parent: Dict = {}
        self.order: Dict = {}

    def add(self, node, order) -> None:
        self.parent.setdefault(node, node)
        self.order.setdefault(node, order)

    def root(self, node):
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, a, b) -> bool:
        """Join the trees of ``a`` and ``b``; whether they were apart."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return False
        first, second = sorted((ra, rb), key=lambda node: (self.order[node], node))
        self.parent[second] = first
        return True


def stories(members: Sequence[Tuple[str, Tuple, np.ndarray]]) -> Dict[str, str]:
    """``{article_id: story_id}`` for articles ``(article_id, order, signature)`` of one (unnamed) language:
    copies (similarity ≥ THRESHOLD under a shared band key, directly or through other copies) form one
    story, named after its first member by ``order`` (first seen, then id). What the pipeline does
    (:func:`link`), in one call."""
    links = link([(("new", article_id), order, None, None, np.asarray(sig, dtype=np.uint32).tobytes())
                  for article_id, order, sig in members])
    return {article_id: links.get(article_id, article_id) for article_id, _order, _sig in members}


# --- Linking in a pipeline: band buckets -> edges -> one forest -------------------------------------------
#
# A member of a bucket is ``(node, order, story_id)``: a new article is ``("new", article_id)`` with
# ``story_id`` None; one an earlier run published is ``("published", article_id, version)`` with the
# story it was given, which never changes. Published members come first in every order, so an article
# that copies one published last week joins that story.

def new_order(article) -> Tuple:
    """Where a new article stands among its copies: published ones first, then by publication time
    (unknown last), then by id."""
    published = article.published_at.isoformat() if article.published_at is not None else "~"
    return (1, published, article.article_id)


def published_order(ingested_at: Optional[str], article_id: str) -> Tuple:
    return (0, ingested_at or "~", article_id)


def as_signature(values) -> np.ndarray:
    """A signature as stored (a list of numbers, or its bytes) as the array :func:`similarity` takes."""
    if isinstance(values, (bytes, bytearray)):
        return np.frombuffer(values, dtype=np.uint32)
    return np.asarray(values, dtype=np.uint32)


def bucket_edges(members: Iterable[Tuple[Tuple, Tuple, Optional[str], np.ndarray]]):
    """The copies among one bucket's members, ``(node, order, story_id, signature)``, as the edges of a
    spanning forest (at most one fewer than the members); two published members are never compared (their
    stories are settled: a published story's members start as one group). Each new member is compared with
    the groups formed so far until it finds a copy in each, so a bucket of one story copied n times costs
    about n comparisons, not n². Yields
    ``((node, order, story_id), (node, order, story_id))``."""
    members = sorted(members, key=lambda member: (member[1], member[0]))
    if all(member[2] is not None for member in members):
        return
    groups: List[List] = []
    published: Dict[str, List] = {}   # a published story's members, one group: their story is settled
    for member in members:
        node, order, story, sig = member
        if story is not None:   # published members sort first, before any new one
            if story not in published:
                published[story] = []
                groups.append(published[story])
            published[story].append(member)
            continue
        joined, kept = [], []
        for group in groups:
            match = next((other for other in group if similarity(sig, other[3]) >= THRESHOLD), None)
            if match is None:
                kept.append(group)
                continue
            yield (match[0], match[1], match[2]), (node, order, story)
            joined.extend(group)
        groups = kept + [joined + [member]]


def link(members: Sequence[Tuple[Tuple, Tuple, Optional[str], Optional[str], bytes]]) -> Dict[str, str]:
    """``{article_id: story_id}`` for the new articles among ``members`` that join an earlier one's story.

    ``members``: ``(node, order, story_id, language, signature bytes)``, new and published alike. Band by
    band, the members that share a band key form a bucket, whose copies (:func:`bucket_edges`) all go
    into one forest (:func:`resolve`). Besides the members, it holds one band's keys and the forest at a
    time: a few hundred bytes per member, whatever the number of copies.
    """
    signatures = [as_signature(member[4]) for member in members]

    def edges():
        for band in range(BANDS):
            buckets: Dict[str, List[int]] = {}
            for index, member in enumerate(members):
                buckets.setdefault(band_key(signatures[index], member[3], band), []).append(index)
            for bucket in buckets.values():
                if len(bucket) > 1:
                    yield from bucket_edges((members[i][0], members[i][1], members[i][2], signatures[i])
                                            for i in bucket)

    return resolve(edges())


def resolve(edges: Iterable[Tuple[Tuple, Tuple]]) -> Dict[str, str]:
    """``{article_id: story_id}`` for the new articles the edges link to an earlier one: the story of
    the first member of their tree (a published member's own story, or a new article's id)."""
    forest, stories_of = Forest(), {}
    for (a, order_a, story_a), (b, order_b, story_b) in edges:
        for node, order, story in ((a, order_a, story_a), (b, order_b, story_b)):
            forest.add(node, order)
            if story is not None:
                stories_of[node] = story
        forest.union(a, b)
    links = {}
    for node in forest.parent:
        if node[0] != "new":
            continue
        root = forest.root(node)
        story = stories_of.get(root, root[1])
        if story != node[1]:
            links[node[1]] = story
    return links
