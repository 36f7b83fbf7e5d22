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


def band_keys(sig: np.ndarray, language: Optional[str]) -> List[str]:
    """One key per LSH band: texts whose signatures agree on every row of a band share its key."""
    prefix = (language or "und") + ":"
    return [prefix + str(band) + ":" + hashlib.sha1(sig[band * ROWS:(band + 1) * ROWS].tobytes()).hexdigest()[:16]
            for band in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


def stories(members: Sequence[Tuple[str, Tuple, np.ndarray]]) -> Dict[str, str]:
    """``{article_id: story_id}`` for articles that met under a band key: ``members`` are ``(article_id,
    order, signature)``; copies (similarity ≥ THRESHOLD, directly or through other copies) form one story,
    named after its first member by ``order`` (first seen, then id)."""
    parent = {article_id: article_id for article_id, _order, _sig in members}
    order = {article_id: rank for article_id, rank, _sig in members}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, (a, _ra, sa) in enumerate(members):
        for b, _rb, sb in members[i + 1:]:
            if similarity(sa, sb) >= THRESHOLD:
                ra, rb = root(a), root(b)
                if ra != rb:
                    first, second = sorted((ra, rb), key=lambda x: (order[x], x))
                    parent[second] = first
    return {article_id: root(article_id) for article_id in parent}
