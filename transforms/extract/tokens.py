"""A parse's tokens picked by label without walking the whole parse.

``for token in doc`` makes a ``Token`` object for every token, and reading a label of each (``pos_``,
``dep_``, ``lower_``) looks a string up: a rule that walks the parse to find the few tokens it cares about
spends most of its time on the others. :func:`tokens_with` compares the parse's own label arrays
(``Doc.to_array``) in numpy and makes ``Token`` objects only for the tokens that match.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, List, Sequence

import numpy as np
from spacy.attrs import DEP, LOWER, POS


def tokens_with(doc, *, pos: Iterable[str] = (), dep: Iterable[str] = (), lower: Iterable[str] = ()) -> List:
    """The tokens of ``doc``, in order, whose part of speech is one of ``pos``, or whose dependency label is
    one of ``dep``, or whose lower-case form is one of ``lower``."""
    strings = doc.vocab.strings
    labels = doc.to_array([POS, DEP, LOWER])
    wanted = np.zeros(len(doc), dtype=bool)
    for column, names in enumerate((pos, dep, lower)):
        names = list(names)
        if names:
            wanted |= np.isin(labels[:, column], np.array([strings[name] for name in names], dtype=np.uint64))
    return [doc[int(index)] for index in np.flatnonzero(wanted)]


def tokens_by_sentence(doc, sentences: Sequence, **labels) -> List[List]:
    """:func:`tokens_with` grouped by sentence: for each of ``sentences`` (``doc``'s, in order), its
    tokens that match ``labels``, in order."""
    starts = [sentence.start for sentence in sentences]
    grouped: List[List] = [[] for _ in starts]
    for token in tokens_with(doc, **labels):
        grouped[bisect_right(starts, token.i) - 1].append(token)
    return grouped
