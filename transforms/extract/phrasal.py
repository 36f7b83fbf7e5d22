"""Phrasal verbs: a verb with its particle is another verb (no Beam).

"Backed off his attacks" is no backing, "settled on Sanders" no settlement, "turned on Trump" no turning. The
verbs of two words come from WordNet 3.1 (``phrasal_verbs.v1.txt``, written by ``make_phrasal_verbs.py``); a
verb token is one when its particle hangs on it as a particle, or as a preposition or adverb right after it
(the model parses "backed off her support" with "off" as a preposition, "backed away" with "away" as an adverb).
"""
from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Optional

from transforms.common.data_files import data_lines

DATA = "transforms.extract.data"
PHRASAL_VERBS_FILE = "phrasal_verbs.v1.txt"


@lru_cache(maxsize=1)
def phrasal_verbs() -> FrozenSet[str]:
    """Every "verb particle" of the packaged table (read once: it never changes)."""
    found = set()
    for line in data_lines(DATA, PHRASAL_VERBS_FILE):
        if line.strip() and not line.startswith("#"):
            words = line.split()
            if len(words) != 2:
                raise ValueError(f"{PHRASAL_VERBS_FILE}: not a verb and a particle: {line!r}")
            found.add(" ".join(words))
    return frozenset(found)


def particles(verb) -> list:
    """The children of ``verb`` that may be its particle: a particle, or a preposition or adverb right after it."""
    return [c for c in verb.children
            if c.dep_ == "prt" or c.i == verb.i + 1 and c.dep_ in ("prep", "advmod")]


def particle_of(verb) -> Optional[str]:
    """The particle (lower case) that makes ``verb`` a phrasal verb of WordNet's, else None."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    lemma = verb.lemma_.lower()
    return next((c.lower_ for c in particles(verb) if f"{lemma} {c.lower_}" in phrasal_verbs()), None)
